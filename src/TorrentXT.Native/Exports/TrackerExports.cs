// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using TorrentXT.Engine.Torrents;
using TorrentXT.Native.Errors;
using TorrentXT.Native.Interop;
using TorrentXT.Native.Records;
using TorrentXT.Native.Wire;

namespace TorrentXT.Native.Exports;

/// <summary>Trackers and web seeds (contract §4.9).</summary>
public static unsafe class TrackerExports
{
    [UnmanagedCallersOnly(EntryPoint = "btx_trackers")]
    public static int Trackers(int t, void* output, int cap)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return 0;
            var w = new RecordWriter((byte*)output, cap);
            w.BeginList();
            foreach (var tr in torrent.Trackers())
            {
                if (!w.TryBeginEntry()) { LastError.Set(ErrorText.TrackerListTruncated); break; }
                w.Utf8(F.TrackerUrl, tr.Url);
                w.Int(F.TrackerTier, tr.Tier);
                w.Int(F.TrackerVerified, tr.Verified ? 1 : 0);
                w.Int(F.TrackerSource, (int)tr.Source);
                w.EndEntry();
            }
            w.EndList();
            return w.Finish();
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_add_tracker")]
    public static int AddTracker(int t, byte* url, int tier)
    {
        try { return WithUrl(t, url, ErrorText.EmptyTrackerUrl, tier, static (torrent, u, tier) => torrent.AddTracker(u, tier)); }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_add_url_seed")]
    public static int AddUrlSeed(int t, byte* url)
    {
        try { return WithUrl(t, url, ErrorText.EmptyUrlSeed, 0, static (torrent, u, _) => torrent.AddUrlSeed(u)); }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_remove_url_seed")]
    public static int RemoveUrlSeed(int t, byte* url)
    {
        try { return WithUrl(t, url, ErrorText.EmptyUrlSeed, 0, static (torrent, u, _) => torrent.RemoveUrlSeed(u)); }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_url_seeds")]
    public static int UrlSeeds(int t, void* output, int cap)
    {
        try
        {
            var torrent = LiveSession.ResolveTorrent(t);
            if (torrent is null) return 0;
            var w = new RecordWriter((byte*)output, cap);
            w.BeginList();
            foreach (var url in torrent.UrlSeeds())
            {
                if (!w.TryBeginEntry()) { LastError.Set(ErrorText.UrlSeedListTruncated); break; }
                w.Utf8(F.UrlSeed, url);
                w.EndEntry();
            }
            w.EndList();
            return w.Finish();
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    /// <summary>The URL actions' shared checks: -2 for a stale handle, then -3 for a NULL or empty URL.</summary>
    private static int WithUrl(int t, byte* url, string emptyText, int arg, Action<Torrent, string, int> action)
    {
        var torrent = LiveSession.ResolveTorrent(t);
        if (torrent is null) return Fail.BadTorrent();
        string? u = Utf8Z.Read(url);
        if (string.IsNullOrEmpty(u)) return Fail.InvalidArg(emptyText);
        action(torrent, u, arg);
        return BtxError.Ok;
    }
}
