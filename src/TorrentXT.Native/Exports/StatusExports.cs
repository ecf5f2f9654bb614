// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using TorrentXT.Engine.Net;
using TorrentXT.Engine.Torrents;
using TorrentXT.Native.Errors;
using TorrentXT.Native.Interop;
using TorrentXT.Native.Records;
using TorrentXT.Native.Wire;

namespace TorrentXT.Native.Exports;

/// <summary>Status and inspection (contract §4.8).</summary>
public static unsafe class StatusExports
{
    [UnmanagedCallersOnly(EntryPoint = "btx_torrent_status")]
    public static int TorrentStatus(int t, void* output, int cap)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return 0;
            var st = torrent.GetStatus();
            var w = new RecordWriter((byte*)output, cap);
            w.BeginRecord();
            w.Utf8(F.Name, st.Name);
            w.Int(F.State, (int)st.State);
            w.Real(F.Progress, st.Progress);
            w.Int(F.DownloadRate, st.DownloadRate);
            w.Int(F.UploadRate, st.UploadRate);
            w.Int(F.TotalDone, st.TotalDone);
            w.Int(F.TotalWanted, st.TotalWanted);
            w.Int(F.NumPeers, st.NumPeers);
            w.Int(F.NumSeeds, st.NumSeeds);
            w.Utf8(F.SavePath, st.SavePath);
            if (st.InfoHashes.V1 is { } v1) w.Hex(F.InfoHashV1, v1);
            if (st.InfoHashes.V2 is { } v2) w.Hex(F.InfoHashV2, v2);
            w.Int(F.AllTimeDownload, st.AllTimeDownload);
            w.Int(F.AllTimeUpload, st.AllTimeUpload);
            w.Int(F.NumComplete, st.NumComplete);
            w.Int(F.NumIncomplete, st.NumIncomplete);
            w.Int(F.IsFinished, st.IsFinished ? 1 : 0);
            w.Int(F.IsSeeding, st.IsSeeding ? 1 : 0);
            w.Int(F.IsPaused, st.IsPaused ? 1 : 0);
            w.Utf8(F.Error, st.Error);
            w.Int(F.Eta, st.Eta);
            w.Int(F.AddedTime, st.AddedTime);
            w.Int(F.CompletedTime, st.CompletedTime);
            w.Int(F.NumConnections, st.NumConnections);
            w.Int(F.Flags, (long)st.Flags);
            if (st.HasMetadata)
            {
                w.Int(F.NumPieces, st.NumPieces);
                w.Int(F.PieceLength, st.PieceLength);
                w.Int(F.TotalSize, st.TotalSize);
            }
            w.EndRecord();
            return w.Finish();
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_torrent_count")]
    public static int TorrentCount(int s)
    {
        try { return LiveSession.Resolve(s)?.TorrentCount ?? 0; }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_torrent_handle_at")]
    public static int TorrentHandleAt(int s, int index)
    {
        try { return LiveSession.Resolve(s)?.TorrentHandleAt(index) ?? 0; }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_info_hash_hex")]
    public static int InfoHashHex(int t, byte* output, int cap)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return 0;
            var h = torrent.InfoHashes.V1 ?? torrent.InfoHashes.V2;
            if (h is null) return 0;
            return FlatOutput.FlatCopy(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(h)), output, cap);
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_piece_bitfield")]
    public static int PieceBitfield(int t, void* output, int cap)
    {
        try
        {
            var bits = LiveSession.ResolveTorrent(t)?.PieceBitfield();
            return bits is null ? 0 : FlatOutput.FlatCopy(bits, (byte*)output, cap);
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_piece_availability")]
    public static int PieceAvailability(int t, void* output, int cap)
    {
        try
        {
            var counts = LiveSession.ResolveTorrent(t)?.PieceAvailability();
            return counts is null ? 0 : FlatOutput.FlatCopy(counts, (byte*)output, cap);
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_peer_list")]
    public static int PeerList(int t, void* output, int cap)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return 0;
            var w = new RecordWriter((byte*)output, cap);
            w.BeginList();
            foreach (var p in torrent.PeerList())
            {
                if (!w.TryBeginEntry()) { LastError.Set(ErrorText.PeerListTruncated); break; }
                w.Utf8(F.PeerEndpoint, Endpoints.Format(p.Endpoint)); // D10: IPv6 bracketed
                w.Utf8(F.PeerClient, p.Client);
                w.Int(F.PeerDownRate, p.DownloadRate);
                w.Int(F.PeerUpRate, p.UploadRate);
                w.Real(F.PeerProgress, p.Progress);
                w.Int(F.PeerFlags, (uint)p.Flags);
                w.EndEntry();
            }
            w.EndList();
            return w.Finish();
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_file_list")]
    public static int FileList(int t, void* output, int cap)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return 0;
            var files = torrent.FileList();
            var w = new RecordWriter((byte*)output, cap);
            w.BeginList();
            foreach (var f in files)
            {
                if (!w.TryBeginEntry()) { LastError.Set(ErrorText.FileListTruncated); break; }
                w.Utf8(F.FilePath, f.Path);
                w.Int(F.FileSize, f.Size);
                w.Int(F.FileProgress, f.BytesDone);
                w.Int(F.FilePriority, f.Priority);
                w.EndEntry();
            }
            w.EndList();
            return w.Finish();
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }
}
