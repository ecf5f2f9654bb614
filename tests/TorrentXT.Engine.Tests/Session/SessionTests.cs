// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Torrents;
using Xunit;
using EngineSession = TorrentXT.Engine.Session;

namespace TorrentXT.Engine.Tests.Session;

public class SessionTests : IDisposable
{
    private readonly EngineSession _session = new(LoopbackSettings());

    /// <summary>Session defaults, but listening on a free loopback port only.</summary>
    internal static SettingsPack LoopbackSettings()
    {
        var settings = SettingsPack.CreateSessionDefaults("TorrentXT/0.1 libtorrent/2.0");
        settings.SetString("listen_interfaces", "127.0.0.1:0");
        // LSD off: sessions of tests running side by side would otherwise find each other's torrents.
        settings.SetBool("enable_lsd", false);
        return settings;
    }
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _session.Dispose();
        _dir.Dispose();
    }

    private Torrent Add(string id, TorrentFlags flags = TorrentFlags.Default) =>
        _session.Add(AddTorrentParams.FromTorrent(TestTorrents.Load(id), _dir.Path, flags), out _);

    private List<Alert> Drain()
    {
        var list = new List<Alert>();
        _session.Alerts.DrainTo(list);
        return list;
    }

    [Fact]
    public void A_torrent_with_no_data_on_disk_becomes_downloading_and_is_started_by_the_queue()
    {
        var t = Add("v1_single");
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Downloading && !t.IsPaused));
        Assert.Equal(TorrentFlags.ApplyIpFilter | TorrentFlags.AutoManaged, t.GetStatus().Flags); // 40 once started
        Assert.Equal(0, _session.QueuePosition(t));
        var alerts = Drain().Where(a => a.Torrent == t).ToList();
        Assert.IsType<TorrentAddedAlert>(alerts[0]);
        Assert.Contains(alerts, a => a is StateChangedAlert { State: TorrentState.Downloading, PreviousState: TorrentState.CheckingResumeData });
        Assert.Contains(alerts, a => a is TorrentResumedAlert);
    }

    [Fact]
    public void A_torrent_whose_data_is_complete_is_checked_into_seeding_and_announces_finished()
    {
        TestTorrents.WritePayload("hybrid_multi", _dir.Path);
        var t = Add("hybrid_multi");
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding));
        var st = t.GetStatus();
        Assert.Equal(1f, st.Progress);
        Assert.True(st.IsSeeding && st.IsFinished);
        Assert.Equal(157389, st.TotalDone);           // payload only: pad bytes are not data
        Assert.NotEqual(0, st.CompletedTime);
        Assert.Equal(-1, _session.QueuePosition(t));
        Assert.All(t.PieceBitfield()!.Take(1), b => Assert.Equal(0xFF, b));
        var alerts = Drain();
        Assert.Contains(alerts, a => a is StateChangedAlert { State: TorrentState.CheckingFiles });
        Assert.Contains(alerts, a => a is TorrentFinishedAlert);
        Assert.DoesNotContain(alerts, a => a is PieceFinishedAlert); // pieceFinished is for downloaded pieces
    }

    [Fact]
    public void A_corrupt_byte_makes_exactly_its_piece_missing()
    {
        TestTorrents.WritePayload("v1_single", _dir.Path);
        string file = Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories).Single();
        using (var fs = File.OpenWrite(file)) { fs.Position = 16384 * 3 + 5; fs.WriteByte(0x42); }
        var t = Add("v1_single");
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Downloading));
        var bits = t.PieceBitfield()!;
        Assert.Equal(0b1110_1111, bits[0]);
        Assert.Equal(1049810 - 16384, t.GetStatus().TotalDone);
    }

    [Fact]
    public void Adding_the_same_torrent_again_returns_the_existing_one()
    {
        var a = Add("v1_multi");
        var b = _session.Add(AddTorrentParams.FromTorrent(TestTorrents.Load("v1_multi"), _dir.Path, TorrentFlags.Default), out bool duplicate);
        Assert.True(duplicate);
        Assert.Same(a, b);
        Assert.Single(_session.Torrents);
    }

    [Fact]
    public void A_hybrid_torrent_is_found_by_its_v1_hash_and_by_its_truncated_v2_hash()
    {
        var t = Add("hybrid_multi");
        Assert.Same(t, _session.Find(t.InfoHashes.V1!));
        Assert.Same(t, _session.Find(t.InfoHashes.V2!.AsSpan(0, 20)));
        Assert.Null(_session.Find(new byte[20]));
    }

    [Fact]
    public void Removing_with_delete_files_deletes_only_what_the_torrent_owns()
    {
        TestTorrents.WritePayload("v1_multi", _dir.Path);
        var t = Add("v1_multi");
        string root = Path.Combine(_dir.Path, t.DisplayName);
        string stranger = Path.Combine(root, "not-ours.txt");
        File.WriteAllText(stranger, "keep me");
        string sibling = Path.Combine(_dir.Path, "sibling.txt");
        File.WriteAllText(sibling, "keep me too");
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding));
        _session.Remove(t, deleteFiles: true);
        Assert.True(TestTorrents.WaitUntil(() => Drain().Any(a => a is TorrentRemovedAlert)));
        Assert.True(File.Exists(stranger));
        Assert.True(File.Exists(sibling));
        Assert.Equal(new[] { stranger }, Directory.GetFiles(root, "*", SearchOption.AllDirectories));
        Assert.Empty(_session.Torrents);
    }

    [Fact]
    public void Bulk_priorities_force_pad_files_to_zero_and_reset_files_past_the_buffer_to_four()
    {
        var t = Add("hybrid_multi");
        var files = t.FileList();
        Assert.Contains(files, f => f.IsPad);
        t.SetFilePriorities(new byte[] { 7 });
        var after = t.FileList();
        Assert.Equal(7, after[0].Priority);
        for (int i = 1; i < after.Count; i++) Assert.Equal(after[i].IsPad ? 0 : 4, after[i].Priority);
        t.SetFilePriorities(ReadOnlySpan<byte>.Empty);
        Assert.All(t.FileList(), f => Assert.Equal(f.IsPad ? 0 : 4, f.Priority));
    }

    [Fact]
    public void Files_set_to_priority_zero_leave_the_wanted_total()
    {
        var t = Add("v1_multi");
        long all = t.GetStatus().TotalWanted;
        Assert.Equal(168496, all);
        var prios = new byte[t.FileList().Count];
        t.SetFilePriorities(prios);
        Assert.Equal(0, t.GetStatus().TotalWanted);
    }

    [Fact]
    public void Priorities_set_before_metadata_are_kept_for_a_magnet()
    {
        var magnet = TorrentXT.Engine.Metainfo.MagnetUri.Parse("magnet:?xt=urn:btih:c37acda1891f1ecbde0e62af89ea1dd5430d1532&dn=x");
        var t = _session.Add(AddTorrentParams.FromMagnet(magnet, _dir.Path, TorrentFlags.Default), out _);
        Assert.Equal(TorrentState.DownloadingMetadata, t.State);
        Assert.Equal("x", t.GetStatus().Name);
        Assert.Empty(t.FileList());
        Assert.Null(t.PieceBitfield());
    }

    [Fact]
    public void The_queue_starts_only_active_downloads_auto_managed_torrents()
    {
        _session.Settings.SetInt("active_downloads", 1);
        var first = Add("v1_single");
        var second = Add("v1_multi");
        Assert.True(TestTorrents.WaitUntil(() => !first.IsPaused && first.State == TorrentState.Downloading));
        Thread.Sleep(50);
        Assert.True(second.IsPaused);
        Assert.Equal(1, _session.QueuePosition(second));
        _session.MoveInQueue(second, EngineSession.QueueMove.Top);
        Assert.Equal(0, _session.QueuePosition(second));
        Assert.True(TestTorrents.WaitUntil(() => !second.IsPaused && first.IsPaused));
    }

    [Fact]
    public void Session_pause_stops_auto_managed_torrents_and_resume_restarts_them()
    {
        var t = Add("v1_single");
        Assert.True(TestTorrents.WaitUntil(() => !t.IsPaused));
        _session.Pause();
        Assert.True(_session.IsPaused);
        Assert.True(TestTorrents.WaitUntil(() => t.IsPaused));
        _session.Resume();
        Assert.True(TestTorrents.WaitUntil(() => !t.IsPaused));
    }

    [Fact]
    public void Flags_set_and_unset_report_libtorrent_bits()
    {
        var t = Add("v1_single", (TorrentFlags)(((ulong)TorrentFlags.Default & ~48UL) | 16UL));
        Assert.Equal((TorrentFlags)24, t.GetStatus().Flags);
        t.SetFlags(TorrentFlags.SequentialDownload, TorrentFlags.SequentialDownload);
        Assert.Equal((TorrentFlags)(24 | 512), t.GetStatus().Flags);
        t.UnsetFlags(TorrentFlags.SequentialDownload);
        t.SetFlags(TorrentFlags.SeedMode, TorrentFlags.SeedMode); // seed mode cannot be set after the add
        Assert.Equal((TorrentFlags)24, t.GetStatus().Flags);
    }

    [Fact]
    public void Force_recheck_goes_through_checking_resume_data_then_checking_files()
    {
        TestTorrents.WritePayload("v1_multi", _dir.Path);
        var t = Add("v1_multi");
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding));
        Drain();
        Assert.True(t.ForceRecheck());
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding));
        var states = Drain().OfType<StateChangedAlert>().Select(a => a.State);
        Assert.Equal(new[] { TorrentState.CheckingResumeData, TorrentState.CheckingFiles, TorrentState.Seeding }, states);
    }

    [Fact]
    public void Seed_mode_at_add_trusts_the_data_without_reading_it()
    {
        var t = Add("v1_multi", TorrentFlags.Default | TorrentFlags.SeedMode);
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding));
        Assert.Equal(TorrentFlags.SeedMode, t.GetStatus().Flags & TorrentFlags.SeedMode);
        Assert.True(t.ForceRecheck());  // a recheck drops seed mode and finds nothing on disk
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Downloading));
        Assert.Equal(TorrentFlags.None, t.GetStatus().Flags & TorrentFlags.SeedMode);
    }

    [Fact]
    public void Progress_alerts_follow_the_apps_own_mask_once_it_sets_one()
    {
        Assert.True(_session.Alerts.Wants(AlertCategory.PieceProgress));   // D1: on by default
        _session.Settings.SetInt("alert_mask", 3673);                      // the same value, but the app's choice
        Assert.False(_session.Alerts.Wants(AlertCategory.PieceProgress));
        _session.Settings.SetInt("alert_mask", 3673 | (int)AlertCategory.PieceProgress);
        Assert.True(_session.Alerts.Wants(AlertCategory.PieceProgress));
        Assert.False(_session.Alerts.Wants(AlertCategory.FileProgress));
    }

    [Fact]
    public void A_select_only_magnet_wants_just_the_listed_files_once_metadata_is_known()
    {
        var info = TestTorrents.Load("v1_multi");
        var magnet = TorrentXT.Engine.Metainfo.MagnetUri.Parse($"magnet:?xt=urn:btih:{info.InfoHashes.V1Hex}&so=1");
        // The metadata is known at once here (a .torrent add with the same hash would be a
        // duplicate), so apply the same add-time rule through a torrent add with the magnet's flags.
        Assert.Equal(new[] { 1 }, magnet.SelectOnly);
        var t = _session.Add(new AddTorrentParams { Info = info, Magnet = magnet, SavePath = _dir.Path,
            Flags = TorrentFlags.Default | TorrentFlags.DefaultDontDownload }, out _);
        var prios = t.FileList().Select(f => f.Priority).ToArray();
        Assert.Equal(4, prios[1]);
        Assert.All(prios.Where((_, i) => i != 1), p => Assert.Equal(0, p));
    }

    [Fact]
    public void Metadata_arriving_for_a_magnet_is_verified_installed_and_checked()
    {
        var info = TestTorrents.Load("hybrid_multi");
        TestTorrents.WritePayload("hybrid_multi", _dir.Path);
        var magnet = TorrentXT.Engine.Metainfo.MagnetUri.Parse($"magnet:?xt=urn:btih:{info.InfoHashes.V1Hex}&dn=early");
        var t = _session.Add(AddTorrentParams.FromMagnet(magnet, _dir.Path, TorrentFlags.Default), out _);
        Assert.False(t.SetMetadata(TestTorrents.Load("v1_multi")));   // another torrent's info: refused
        Assert.Equal(TorrentState.DownloadingMetadata, t.State);
        Assert.True(t.SetMetadata(info));
        Assert.False(t.SetMetadata(info));                             // only once
        Assert.NotNull(t.InfoHashes.V2);                               // the hybrid's v2 hash is learnt
        Assert.Same(t, _session.Find(t.InfoHashes.V2!.AsSpan(0, 20)));
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding));
        Assert.Equal(info.Name, t.GetStatus().Name);
        Assert.Contains(Drain(), a => a is MetadataReceivedAlert);
    }

    [Fact]
    public void Dispose_returns_promptly_and_joins_the_engine_threads()
    {
        var s = new EngineSession(LoopbackSettings());
        s.Add(AddTorrentParams.FromTorrent(TestTorrents.Load("v1_single"), _dir.Path, TorrentFlags.Default), out _);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        s.Dispose();
        Assert.True(sw.ElapsedMilliseconds < 5000);
        s.Dispose(); // idempotent
    }
}
