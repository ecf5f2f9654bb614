// SPDX-License-Identifier: MIT
using System.Net;
using System.Text;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Torrents;
using TorrentXT.Engine.Trackers;
using Xunit;

namespace TorrentXT.Engine.Tests.Trackers;

public class TrackerProtocolTests
{
    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void Compact_v4_v6_and_counts_are_read()
    {
        var body = new BencodeWriter().BeginDictionary()
            .String("complete").Integer(4).String("incomplete").Integer(9)
            .String("interval").Integer(1200).String("min interval").Integer(60)
            .String("peers").String(new byte[] { 10, 0, 0, 1, 0x1a, 0xe1, 127, 0, 0, 1, 0, 80 })
            .String("peers6").String(IPAddress.IPv6Loopback.GetAddressBytes().Concat(new byte[] { 0x1f, 0x90 }).ToArray())
            .String("tracker id").String("abc").String("warning message").String("slow down")
            .End().ToArray();
        var r = HttpTrackerResponse.ParseAnnounce(body);
        Assert.Equal(new[] { IPEndPoint.Parse("10.0.0.1:6881"), IPEndPoint.Parse("127.0.0.1:80"), IPEndPoint.Parse("[::1]:8080") }, r.Peers);
        Assert.Equal((4, 9, 1200, 60, "abc", "slow down"), (r.Complete, r.Incomplete, r.Interval, r.MinInterval, r.TrackerId, r.Warning));
    }

    [Fact]
    public void Dictionary_peers_are_read_and_bad_entries_skipped()
    {
        var body = B("d8:intervali30e5:peersld2:ip9:127.0.0.17:peer id20:aaaaaaaaaaaaaaaaaaaa4:porti6881eed2:ip3:::14:porti1eed2:ip4:nope4:porti5eed2:ip8:10.0.0.14:porti0eeee");
        var r = HttpTrackerResponse.ParseAnnounce(body);
        Assert.Equal(new[] { IPEndPoint.Parse("127.0.0.1:6881"), IPEndPoint.Parse("[::1]:1") }, r.Peers);
        Assert.Equal(-1, r.Complete);
    }

    [Fact]
    public void Failure_reason_and_garbage_become_clear_failures()
    {
        var f = Assert.Throws<TrackerFailure>(() => HttpTrackerResponse.ParseAnnounce(B("d14:failure reason12:unregisterede")));
        Assert.Equal(TrackerFailure.FailureReason, f.Code);
        Assert.Equal("tracker sent a failure message: unregistered", f.Message);
        var g = Assert.Throws<TrackerFailure>(() => HttpTrackerResponse.ParseAnnounce(B("<html>oops</html>")));
        Assert.Equal(TrackerFailure.InvalidResponse, g.Code);
        Assert.Contains("not bencoded", g.Message);
        Assert.Contains("<html>oops", g.Message);
        var h = Assert.Throws<TrackerFailure>(() => HttpTrackerResponse.ParseAnnounce(B("d5:peers5:abcdee")));
        Assert.Contains("not a multiple of 6", h.Message);
    }

    [Fact]
    public void Scrape_reads_the_torrents_entry()
    {
        var hash = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        var body = new BencodeWriter().BeginDictionary().String("files").BeginDictionary()
            .String(hash).BeginDictionary().String("complete").Integer(2).String("downloaded").Integer(5).String("incomplete").Integer(3).End()
            .End().End().ToArray();
        Assert.Equal(new ScrapeResult(2, 3, 5), HttpTrackerResponse.ParseScrape(body, hash));
        Assert.Throws<TrackerFailure>(() => HttpTrackerResponse.ParseScrape(body, new byte[20]));
        // A server that writes the key as UTF-8 of its Latin-1 reading (0xD3 -> C3 93) still matches.
        var high = new byte[20]; high[0] = 0xd3;
        var mangled = new byte[] { 0xc3, 0x93 }.Concat(new byte[19]).ToArray();
        var body2 = new BencodeWriter().BeginDictionary().String("files").BeginDictionary()
            .String(mangled).BeginDictionary().String("complete").Integer(7).End().End().End().ToArray();
        Assert.Equal(7, HttpTrackerResponse.ParseScrape(body2, high).Complete);
    }

    [Fact]
    public void Announce_url_carries_every_parameter_escaped()
    {
        var hash = new byte[20]; hash[0] = 0xff; hash[1] = (byte)'a'; hash[2] = (byte)' ';
        var req = new AnnounceRequest
        {
            InfoHash = hash, PeerId = Encoding.ASCII.GetBytes("-TX0100-abcdefghijkl"), Port = 6881, Uploaded = 1, Downloaded = 2,
            Left = 3, Event = TrackerEvent.Started, Key = 0xdeadbeef, NumWant = 50, TrackerId = "t&1",
        };
        string url = TrackerUrls.Announce("http://h/announce?passkey=x", req);
        Assert.StartsWith("http://h/announce?passkey=x&info_hash=%FFa%20%00", url);
        foreach (var part in new[] { "peer_id=-TX0100-abcdefghijkl", "port=6881", "uploaded=1", "downloaded=2", "left=3", "event=started",
                     "key=DEADBEEF", "numwant=50", "compact=1", "trackerid=t%261" })
            Assert.Contains("&" + part, url);
        Assert.Equal(hash, FakeHttpTracker.Query(url[url.IndexOf('/', 7)..], "info_hash"));
    }

    [Theory]
    [InlineData("http://t/announce", "http://t/scrape?info_hash=")]
    [InlineData("http://t/x/announce.php?k=1", "http://t/x/scrape.php?k=1&info_hash=")]
    [InlineData("http://t/a", null)]
    [InlineData("http://t/announce/x", null)]
    public void Scrape_url_follows_bep48(string announce, string? expectedPrefix)
    {
        string? url = TrackerUrls.Scrape(announce, new byte[20]);
        if (expectedPrefix is null) Assert.Null(url);
        else Assert.StartsWith(expectedPrefix, url);
    }

    private static TorrentAnnouncer Announcer(params (string Url, int Tier)[] trackers)
    {
        var a = new TorrentAnnouncer(null!);
        a.SyncTrackers(trackers.Select(t => new TrackerEntry(t.Url, t.Tier, TrackerSource.Client, false)).ToArray());
        return a;
    }

    [Fact]
    public void Bep12_one_tracker_per_tier_and_only_the_first_working_tier()
    {
        var a = Announcer(("http://a/announce", 0), ("http://b/announce", 0), ("http://c/announce", 1));
        var due = a.Due(1000, allTiers: false, allTrackers: false);
        Assert.Single(due);
        Assert.Equal(0, due[0].Tier);
        // The chosen one fails and waits: the other tracker of tier 0 is tried; tier 1 still not.
        due[0].Fails = 1; due[0].NextMs = 60_000;
        var next = a.Due(1000, false, false);
        Assert.Single(next);
        Assert.Equal(0, next[0].Tier);
        Assert.NotSame(due[0], next[0]);
        // Both of tier 0 failing: tier 1 takes over.
        next[0].Fails = 1; next[0].NextMs = 60_000;
        var third = a.Due(1000, false, false);
        Assert.Equal("http://c/announce", Assert.Single(third).Url);
        // Promotion: the answering tracker moves to the front of its tier.
        a.Promote(next[0]);
        Assert.Same(next[0], a.Trackers[0]);
    }

    [Fact]
    public void Bep12_all_tiers_and_all_trackers()
    {
        var a = Announcer(("http://a/announce", 0), ("http://b/announce", 0), ("udp://c:1/announce", 1));
        Assert.Equal(2, a.Due(0, allTiers: true, allTrackers: false).Count);
        Assert.Equal(3, a.Due(0, allTiers: true, allTrackers: true).Count);
        Assert.Equal(2, a.Due(0, allTiers: false, allTrackers: true).Count);
        foreach (var t in a.Trackers) t.Updating = true;
        Assert.Empty(a.Due(0, true, true));
    }

    [Fact]
    public void Force_respects_the_minimum_interval_and_retry_backs_off()
    {
        var a = Announcer(("http://a/announce", 0));
        var t = a.Trackers[0];
        t.LastAnnounceMs = 10_000; t.MinIntervalMs = 30_000; t.NextMs = 1_000_000;
        a.ForceAll(20_000);
        Assert.Equal(40_000, t.NextMs);
        Assert.True(AnnounceTracker.RetryDelayMs(1, 250, 0) < AnnounceTracker.RetryDelayMs(3, 250, 0));
        Assert.Equal(3_600_000, AnnounceTracker.RetryDelayMs(100, 250, 0));
        Assert.Equal(120_000, AnnounceTracker.RetryDelayMs(1, 250, 120));
    }
}
