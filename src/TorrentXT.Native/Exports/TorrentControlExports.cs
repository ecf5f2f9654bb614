// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using TorrentXT.Engine.Torrents;
using TorrentXT.Engine;
using TorrentXT.Native.Errors;
using TorrentXT.Native.Interop;
using TorrentXT.Native.Records;

namespace TorrentXT.Native.Exports;

/// <summary>Torrent control and extended control (contract §4.6, §4.7).</summary>
public static unsafe class TorrentControlExports
{
    [UnmanagedCallersOnly(EntryPoint = "btx_pause")]
    public static int Pause(int t)
    {
        try { return Act(t, static torrent => torrent.Pause()); }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_resume")]
    public static int Resume(int t)
    {
        try { return Act(t, static torrent => torrent.Resume()); }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_force_recheck")]
    public static int ForceRecheck(int t)
    {
        try { return Act(t, static torrent => torrent.ForceRecheck()); }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_torrent_clear_error")]
    public static int ClearError(int t)
    {
        try { return Act(t, static torrent => torrent.ClearError()); }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_set_file_priority")]
    public static int SetFilePriority(int t, int fileIndex, int priority)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return Fail.BadTorrent();
            if (fileIndex < 0) return Fail.InvalidArg(ErrorText.NegativeFileIndex);
            torrent.SetFilePriority(fileIndex, (byte)priority); // truncated to 8 bits first (§4.6)
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_set_file_priorities")]
    public static int SetFilePriorities(int t, void* prios, int count)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return Fail.BadTorrent();
            if (prios is null || count < 0) return Fail.InvalidArg(ErrorText.BadPriorityBuffer);
            torrent.SetFilePriorities(new ReadOnlySpan<byte>(prios, count));
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_set_piece_priority")]
    public static int SetPiecePriority(int t, int pieceIndex, int priority)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return Fail.BadTorrent();
            if (pieceIndex < 0) return Fail.InvalidArg(ErrorText.NegativePieceIndex);
            torrent.SetPiecePriority(pieceIndex, (byte)priority);
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_set_torrent_limits")]
    public static int SetTorrentLimits(int t, byte* downDec, byte* upDec)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return Fail.BadTorrent();
            if (downDec is not null) torrent.DownloadLimit = unchecked((int)CNumber.ParseInt64Saturating(downDec));
            if (upDec is not null) torrent.UploadLimit = unchecked((int)CNumber.ParseInt64Saturating(upDec));
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_set_torrent_flags")]
    public static int SetTorrentFlags(int t, byte* flagsDec, byte* maskDec)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return Fail.BadTorrent();
            if (flagsDec is null || maskDec is null) return Fail.InvalidArg(ErrorText.NullFlags);
            torrent.SetFlags((TorrentFlags)CNumber.ParseUInt64Saturating(flagsDec), (TorrentFlags)CNumber.ParseUInt64Saturating(maskDec));
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_unset_torrent_flags")]
    public static int UnsetTorrentFlags(int t, byte* flagsDec)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return Fail.BadTorrent();
            if (flagsDec is null) return Fail.InvalidArg(ErrorText.NullFlags);
            torrent.UnsetFlags((TorrentFlags)CNumber.ParseUInt64Saturating(flagsDec));
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_set_max_connections")]
    public static int SetMaxConnections(int t, int maxConns)
    {
        try { return Act(t, maxConns, static (torrent, v) => torrent.MaxConnections = v); }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_set_max_uploads")]
    public static int SetMaxUploads(int t, int maxUploads)
    {
        try { return Act(t, maxUploads, static (torrent, v) => torrent.MaxUploads = v); }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_queue_position")]
    public static int QueuePosition(int t)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            return torrent is null ? -1 : torrent.Session.QueuePosition(torrent);
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_queue_move")]
    public static int QueueMove(int t, int op)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return Fail.BadTorrent();
            if (op is < 0 or > 3) return Fail.InvalidArg(ErrorText.QueueOpRange);
            torrent.Session.MoveInQueue(torrent, (Session.QueueMove)op);
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_force_reannounce")]
    public static int ForceReannounce(int t)
    {
        try { return Act(t, static torrent => torrent.ForceReannounce()); }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_scrape_tracker")]
    public static int ScrapeTracker(int t)
    {
        try { return Act(t, static torrent => torrent.ScrapeTrackers()); }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_move_storage")]
    public static int MoveStorage(int t, byte* savePath)
    {
        try
        {
            if (LiveSession.ResolveTorrent(t) is null) return Fail.BadTorrent();
            if (string.IsNullOrEmpty(Utf8Z.Read(savePath))) return Fail.InvalidArg(ErrorText.EmptySavePath);
            var torrent = LiveSession.ResolveTorrent(t)!;
            torrent.Session.MoveStorage(torrent, Utf8Z.Read(savePath)!);
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_save_resume")]
    public static int SaveResume(int t)
    {
        // D7: the info dict is included whenever the blob still fits the record cap.
        try { return Act(t, static torrent => torrent.Session.SaveResumeData(torrent, includeInfo: true)); }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    /// <summary>Resolves <paramref name="t"/> and runs an action on it; -2 for a stale handle.</summary>
    private static int Act(int t, Action<Torrent> action)
    {
        var torrent = LiveSession.ResolveTorrent(t);
        if (torrent is null) return Fail.BadTorrent();
        action(torrent);
        return BtxError.Ok;
    }

    private static int Act(int t, Func<Torrent, bool> action) => Act(t, torrent => { action(torrent); });

    private static int Act(int t, int value, Action<Torrent, int> action) => Act(t, torrent => action(torrent, value));

    /// <summary>A function a later issue implements: handle checked first, then an honest refusal.</summary>
    private static int Pending(int t, string what) =>
        LiveSession.ResolveTorrent(t) is null ? Fail.BadTorrent() : Fail.NotYet(what);
}
