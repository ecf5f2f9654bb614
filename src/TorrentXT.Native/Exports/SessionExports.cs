// SPDX-License-Identifier: MIT
using System.Net;
using System.Runtime.InteropServices;
using TorrentXT.Native.Errors;
using TorrentXT.Native.Interop;
using TorrentXT.Native.Records;

namespace TorrentXT.Native.Exports;

/// <summary>Session operations, filtering and streaming deadlines (contract §4.3, §4.4).</summary>
public static unsafe class SessionExports
{
    [UnmanagedCallersOnly(EntryPoint = "btx_session_pause")]
    public static int SessionPause(int s)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            if (live is null) return Fail.NoSession();
            live.Engine.Pause();
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_session_resume")]
    public static int SessionResume(int s)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            if (live is null) return Fail.NoSession();
            live.Engine.Resume();
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_session_is_paused")]
    public static int SessionIsPaused(int s)
    {
        try { return LiveSession.Resolve(s)?.Engine.IsPaused == true ? 1 : 0; }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_listen_port")]
    public static int ListenPort(int s)
    {
        try { return LiveSession.Resolve(s)?.Engine.ListenPort ?? 0; }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_find_torrent")]
    public static int FindTorrent(int s, byte* infoHashHex)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            if (live is null || !Hex.TryParse(Utf8Z.Read(infoHashHex), 20, out var hash)) return 0;
            var torrent = live.Engine.Find(hash);
            return torrent is null ? 0 : live.MappedHandle(torrent);
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_ip_filter_add")]
    public static int IpFilterAdd(int s, byte* startIp, byte* endIp, int block)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            if (live is null) return Fail.NoSession();
            if (startIp is null || endIp is null) return Fail.InvalidArg(ErrorText.NullIpRange);
            if (!IPAddress.TryParse(Utf8Z.Read(startIp)!, out var first) || !IsLiteral(Utf8Z.Read(startIp)!)) return Fail.InvalidArg(ErrorText.BadStartAddress);
            if (!IPAddress.TryParse(Utf8Z.Read(endIp)!, out var last) || !IsLiteral(Utf8Z.Read(endIp)!)) return Fail.InvalidArg(ErrorText.BadEndAddress);
            if (first.AddressFamily != last.AddressFamily) return Fail.InvalidArg(ErrorText.IpRangeFamilyMismatch);
            live.Engine.IpFilter.Add(first, last, block != 0);
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    /// <summary>IPAddress.TryParse also takes forms like "1" or "1.2"; the contract wants full literals.</summary>
    private static bool IsLiteral(string text) =>
        text.Contains(':') || (text.Split('.').Length == 4 && text.Split('.').All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)));

    [UnmanagedCallersOnly(EntryPoint = "btx_ip_filter_clear")]
    public static int IpFilterClear(int s)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            if (live is null) return Fail.NoSession();
            live.Engine.IpFilter.Clear();
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_set_piece_deadline")]
    public static int SetPieceDeadline(int t, int pieceIndex, int deadlineMs)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return Fail.BadTorrent();
            if (pieceIndex < 0) return Fail.InvalidArg(ErrorText.NegativePieceIndex);
            torrent.SetPieceDeadline(pieceIndex, deadlineMs);
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_clear_piece_deadlines")]
    public static int ClearPieceDeadlines(int t)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return Fail.BadTorrent();
            torrent.ClearPieceDeadlines();
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }
}
