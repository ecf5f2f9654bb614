// SPDX-License-Identifier: MIT
using System.Net;
using System.Text;
using TorrentXT.Engine.Trackers;
using Xunit;

namespace TorrentXT.Engine.Tests.Trackers;

/// <summary>BEP 15 against an in-process UDP tracker on loopback, IPv4 and IPv6.</summary>
public class UdpTrackerClientTests : IDisposable
{
    private readonly UdpTrackerClient _client = new() { FirstRetransmit = TimeSpan.FromMilliseconds(200) };
    private static readonly TrackerLimits Limits = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 65536, "x");

    private static AnnounceRequest Request(TrackerEvent e = TrackerEvent.Started) => new()
    {
        InfoHash = new byte[20], PeerId = Encoding.ASCII.GetBytes("-TX0100-000000000000"), Port = 1234, Event = e, NumWant = 50,
    };

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Connect_announce_scrape_and_reuse_of_the_connection_id(bool v6)
    {
        using var t = new FakeUdpTracker(v6);
        var peer = v6 ? IPEndPoint.Parse("[::1]:5000") : IPEndPoint.Parse("127.0.0.2:5000");
        t.Peers.Add(peer);
        var r = await _client.AnnounceAsync(t.Url, Request(), Limits, CancellationToken.None);
        Assert.Equal(peer, Assert.Single(r.Peers));
        Assert.Equal((7, 3, 900), (r.Complete, r.Incomplete, r.Interval));
        await _client.AnnounceAsync(t.Url, Request(TrackerEvent.None), Limits, CancellationToken.None);
        var s = await _client.ScrapeAsync(t.Url, new byte[20], Limits, CancellationToken.None);
        Assert.Equal(new ScrapeResult(5, 2, 11), s);
        Assert.Equal(new[] { 0, 1, 1, 2 }, t.Actions.ToArray());   // one connect, then the id is reused
        Assert.Equal(new[] { 2, 0 }, t.Events.ToArray());
    }

    [Fact]
    public async Task Lost_packets_are_retransmitted_and_silence_times_out()
    {
        using var t = new FakeUdpTracker { DropFirst = 2 };
        var r = await _client.AnnounceAsync(t.Url, Request(), Limits, CancellationToken.None);
        Assert.Equal(900, r.Interval);
        Assert.InRange(t.Received, 4, 6);  // connect sent 3 times, announce once (a slow reply may add a resend)

        using var silent = new FakeUdpTracker { DropFirst = int.MaxValue };
        var quick = Limits with { Completion = TimeSpan.FromSeconds(1) };
        var started = Environment.TickCount64;
        var f = await Assert.ThrowsAsync<TrackerFailure>(() => _client.AnnounceAsync(silent.Url, Request(), quick, CancellationToken.None));
        Assert.Equal(TrackerFailure.TimedOut, f.Code);
        Assert.InRange(Environment.TickCount64 - started, 900, 3000);
        Assert.InRange(silent.Received, 2, 4); // 200 ms, 400 ms, then the deadline
    }

    [Fact]
    public async Task Error_action_is_the_failure_reason()
    {
        using var t = new FakeUdpTracker { Error = "torrent not registered" };
        var f = await Assert.ThrowsAsync<TrackerFailure>(() => _client.AnnounceAsync(t.Url, Request(), Limits, CancellationToken.None));
        Assert.Equal("tracker sent a failure message: torrent not registered", f.Message);
    }
}
