// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Native.Errors;
using TorrentXT.Native.Interop;

namespace TorrentXT.Native.Exports;

/// <summary>Adding and removing torrents (contract §4.5).</summary>
public static unsafe class AddRemoveExports
{
    [UnmanagedCallersOnly(EntryPoint = "btx_add_magnet")]
    public static int AddMagnet(int s, byte* uri, byte* savePath)
    {
        try { return TorrentAdder.AddMagnet(s, uri, savePath, null, null); }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_add_magnet_ex")]
    public static int AddMagnetEx(int s, byte* uri, byte* savePath, byte* flagsDec, byte* maskDec)
    {
        try { return TorrentAdder.AddMagnet(s, uri, savePath, flagsDec, maskDec); }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_add_torrent_file")]
    public static int AddTorrentFile(int s, void* data, int len, byte* savePath)
    {
        try { return TorrentAdder.AddTorrentFile(s, data, len, savePath, null, null); }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_add_torrent_file_ex")]
    public static int AddTorrentFileEx(int s, void* data, int len, byte* savePath, byte* flagsDec, byte* maskDec)
    {
        try { return TorrentAdder.AddTorrentFile(s, data, len, savePath, flagsDec, maskDec); }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_add_with_resume")]
    public static int AddWithResume(int s, void* resume, int len, byte* savePath)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            if (live is null) return Fail.Zero(ErrorText.NoLiveSession);
            if (resume is null || len <= 0) return Fail.Zero(ErrorText.EmptyResumeBuffer);
            return TorrentAdder.AddWithResume(live, new ReadOnlySpan<byte>(resume, len).ToArray(), savePath);
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_remove")]
    public static int Remove(int s, int t, int deleteFiles)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            var torrent = live is null ? null : LiveSession.ResolveTorrent(t);
            if (live is null || torrent is null) return Fail.With(BtxError.BadHandle, ErrorText.BadSessionTorrentHandle);
            // The handle goes stale before the engine removes the torrent (§2.6).
            live.ReleaseForRemoval(torrent);
            live.Engine.Remove(torrent, deleteFiles != 0);
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }
}
