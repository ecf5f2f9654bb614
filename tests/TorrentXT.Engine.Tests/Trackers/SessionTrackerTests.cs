// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Tests.Swarm;
using TorrentXT.Engine.Torrents;
using Xunit;

namespace TorrentXT.Engine.Tests.Trackers;

/// <summary>Two sessions that find each other only through a tracker; events, alerts and status.</summary>
public sealed class SessionTrackerTests : TwoSessions
{
    private readonly MemoryTracker _tracker = new();
    private readonly List<Alert> _alerts = new();

    private List<Alert> Alerts(Engine.Session s)
    {
        lock (_alerts) { s.Alerts.DrainTo(_alerts); return _alerts.ToList(); }
    }

    private bool Has<T>(Engine.Session s, Func<T, bool> match) where T : Alert => Alerts(s).OfType<T>().Any(match);

    [Fact]
    public void A_magnet_with_only_a_tracker_downloads_and_the_events_follow()
    {
        var seed = Seed("v1_multi");
        seed.AddTracker(_tracker.Url, 0);
        int seedPort = _seeder.ListenPort;
        Assert.True(TestTorrents.WaitUntil(() => _tracker.Saw(seedPort, "started")), "the seeder announces started");
        Assert.Equal(0, _tracker.Log.First(l => l.Port == seedPort).Left);

        var magnet = MagnetUri.Parse($"magnet:?xt=urn:btih:{seed.InfoHashes.V1Hex}&tr={Uri.EscapeDataString(_tracker.Url)}");
        var leech = _leecher.Add(AddTorrentParams.FromMagnet(magnet, _leechDir.Path, TorrentFlags.Default), out _);
        Assert.True(TestTorrents.WaitUntil(() => leech.State == TorrentState.Seeding, 30_000), $"the leecher completes ({leech.State})");
        AssertSameFiles("v1_multi");
        Assert.True(TestTorrents.WaitUntil(() => leech.Trackers()[0].Verified), "verified once the tracker answered");
        Assert.Equal(TrackerSource.MagnetLink, leech.Trackers()[0].Source);
        Assert.True(Has<TrackerReplyAlert>(_leecher, a => a.Url == _tracker.Url && a.Torrent == leech), "trackerReply");
        int leechPort = _leecher.ListenPort;
        Assert.True(TestTorrents.WaitUntil(() => _tracker.Saw(leechPort, "completed")), "completed follows the download");
        Assert.True(leech.GetStatus().NumComplete >= 1, "numComplete from the tracker");

        _leecher.Remove(leech, deleteFiles: false);
        Assert.True(TestTorrents.WaitUntil(() => _tracker.Saw(leechPort, "stopped")), "stopped on removal");

        long start = Environment.TickCount64;
        _seeder.Dispose();
        Assert.True(Environment.TickCount64 - start < 8_000, "session free is bounded");
        Assert.True(_tracker.Saw(seedPort, "stopped"), "stopped on session free");
    }

    [Fact]
    public void Pause_resume_force_reannounce_and_scrape()
    {
        var seed = Seed("v1_single");
        seed.AddTracker(_tracker.Url, 0);
        int port = _seeder.ListenPort;
        Assert.True(TestTorrents.WaitUntil(() => _tracker.Saw(port, "started")));
        seed.UnsetFlags(TorrentFlags.AutoManaged); // else the queue manager resumes it at once
        seed.Pause();
        Assert.True(TestTorrents.WaitUntil(() => _tracker.Saw(port, "stopped")), $"stopped on pause (paused {seed.IsPaused}, log {string.Join(",", _tracker.Log)})");
        seed.Resume();
        Assert.True(TestTorrents.WaitUntil(() => _tracker.Log.Count(l => l.Event == "started") == 2), "started again on resume");

        Assert.True(TestTorrents.WaitUntil(() => Has<TrackerReplyAlert>(_seeder, _ => true)));
        int before = _tracker.Log.Count;
        Thread.Sleep(1100); // the tracker's min interval is 1 s
        seed.ForceReannounce();
        Assert.True(TestTorrents.WaitUntil(() => _tracker.Log.Count > before), "force reannounce");
        Assert.Equal("", _tracker.Log.Last().Event);

        seed.ScrapeTrackers();
        Assert.True(TestTorrents.WaitUntil(() => Has<ScrapeReplyAlert>(_seeder, a => a.Complete == 1 && a.Incomplete == 0)), "scrapeReply");
        Assert.Equal((1, 0), (seed.GetStatus().NumComplete, seed.GetStatus().NumIncomplete));
    }

    [Fact]
    public void A_failing_first_tier_gives_trackerError_and_the_next_tier_takes_over()
    {
        using var broken = new FakeHttpTracker(_ => new FakeAnswer(200, "<html>maintenance</html>"u8.ToArray(), "Content-Type: text/html\r\n"));
        var seed = Seed("v1_single");
        Assert.Equal(-1, seed.GetStatus().NumComplete);
        seed.AddTracker(broken.Url(), 0);
        seed.AddTracker(_tracker.Url, 1);
        Assert.True(TestTorrents.WaitUntil(() => Has<TrackerErrorAlert>(_seeder, a => a.Url == broken.Url()), 15_000), "trackerError");
        var err = Alerts(_seeder).OfType<TrackerErrorAlert>().First(a => a.Url == broken.Url());
        Assert.Contains("content type text/html", err.ErrorMessage);
        Assert.Contains("maintenance", err.ErrorMessage);
        Assert.Equal(1, err.TimesInRow);
        Assert.True(TestTorrents.WaitUntil(() => _tracker.Saw(_seeder.ListenPort, "started"), 15_000), "tier 1 takes over");
        Assert.Equal(TorrentState.Seeding, seed.State);
        Assert.False(seed.Trackers().Single(t => t.Url == broken.Url()).Verified);
        Assert.True(TestTorrents.WaitUntil(() => seed.Trackers().Single(t => t.Url == _tracker.Url).Verified));
    }
}
