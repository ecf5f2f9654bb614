// SPDX-License-Identifier: MIT
using System.IO.Compression;
using System.Net;
using System.Text;
using TorrentXT.Engine.Trackers;
using Xunit;

namespace TorrentXT.Engine.Tests.Trackers;

/// <summary>The HTTP client against a scripted in-process tracker, well-behaved and not.</summary>
public class HttpTrackerClientTests : IDisposable
{
    private readonly HttpTrackerClient _client = new();
    // Generous timeouts: the machine running the tests may be busy; the timeout case sets its own.
    private static readonly TrackerLimits Limits = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10), 64 * 1024, "TestAgent/1.0");

    private static byte[] OkBody() => new byte[] { (byte)'d' }.Concat(Encoding.ASCII.GetBytes("8:intervali600e5:peers6:"))
        .Concat(new byte[] { 127, 0, 0, 1, 0x1a, 0xe1 }).Concat(new byte[] { (byte)'e' }).ToArray();

    private static AnnounceRequest Request() => new()
    {
        InfoHash = Enumerable.Repeat((byte)0xab, 20).ToArray(), PeerId = Encoding.ASCII.GetBytes("-TX0100-000000000000"),
        Port = 6881, Event = TrackerEvent.Started, Key = 7,
    };

    public void Dispose() => _client.Dispose();

    private Task<AnnounceResult> Announce(string url, TrackerLimits? limits = null) =>
        _client.AnnounceAsync(url, Request(), limits ?? Limits, CancellationToken.None);

    private async Task<TrackerFailure> Fails(string url, TrackerLimits? limits = null) =>
        await Assert.ThrowsAsync<TrackerFailure>(() => Announce(url, limits));

    [Fact]
    public async Task Announce_sends_parameters_and_user_agent()
    {
        using var t = new FakeHttpTracker(_ => new FakeAnswer(200, OkBody()));
        var r = await Announce(t.Url());
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:6881"), Assert.Single(r.Peers));
        Assert.True(t.Requests.TryDequeue(out var target));
        Assert.Equal("started", FakeHttpTracker.QueryText(target!, "event"));
        Assert.Equal(Request().InfoHash, FakeHttpTracker.Query(target!, "info_hash"));
        Assert.Equal("6881", FakeHttpTracker.QueryText(target!, "port"));
        Assert.Equal("TestAgent/1.0", Assert.Single(t.UserAgents));
    }

    [Fact]
    public async Task Gzip_bodies_and_one_redirect_are_followed()
    {
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(OkBody());
        using var t = new FakeHttpTracker(target => target.StartsWith("/moved", StringComparison.Ordinal)
            ? new FakeAnswer(200, gz.ToArray(), "Content-Encoding: gzip\r\n")
            : new FakeAnswer(302, Array.Empty<byte>(), "Location: /moved" + target[target.IndexOf('?')..] + "\r\n"));
        var r = await Announce(t.Url());
        Assert.Single(r.Peers);
    }

    [Fact]
    public async Task Redirect_loop_is_bounded()
    {
        using var t = new FakeHttpTracker(_ => new FakeAnswer(302, Array.Empty<byte>(), "Location: /announce\r\n"));
        var f = await Fails(t.Url());
        Assert.Equal(TrackerFailure.InvalidRedirection, f.Code);
        Assert.Contains("too many redirects", f.Message);
        Assert.InRange(t.Requests.Count, 2, HttpTrackerClient.MaxRedirects + 1);
    }

    [Fact]
    public async Task Timeout_http_status_huge_body_wrong_type_and_refused()
    {
        using var hang = new FakeHttpTracker(_ => new FakeAnswer(200, OkBody(), Hang: true));
        var started = Environment.TickCount64;
        var f = await Fails(hang.Url(), Limits with { Completion = TimeSpan.FromSeconds(3), Receive = TimeSpan.FromSeconds(1) });
        Assert.Equal(TrackerFailure.TimedOut, f.Code);
        Assert.Contains("timed out", f.Message);
        Assert.InRange(Environment.TickCount64 - started, 500, 4000);

        using var missing = new FakeHttpTracker(_ => new FakeAnswer(404, Encoding.ASCII.GetBytes("nope")));
        f = await Fails(missing.Url());
        Assert.True(f.Code == 404, f.Message);
        Assert.StartsWith("HTTP 404", f.Message);

        using var huge = new FakeHttpTracker(_ => new FakeAnswer(200, new byte[Limits.MaxResponseBytes + 10]));
        f = await Fails(huge.Url());
        Assert.Contains("larger than 65536 bytes", f.Message);

        using var html = new FakeHttpTracker(_ => new FakeAnswer(200, Encoding.ASCII.GetBytes("<html><body>hello</body></html>"), "Content-Type: text/html\r\n"));
        f = await Fails(html.Url());
        Assert.Equal(TrackerFailure.InvalidResponse, f.Code);
        Assert.Contains("content type text/html", f.Message);

        using var reason = new FakeHttpTracker(_ => new FakeAnswer(200, Encoding.ASCII.GetBytes("d14:failure reason8:not heree")));
        f = await Fails(reason.Url());
        Assert.Equal("tracker sent a failure message: not here", f.Message);

        int closedPort;
        using (var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0)) { l.Start(); closedPort = ((IPEndPoint)l.LocalEndpoint).Port; }
        f = await Fails($"http://127.0.0.1:{closedPort}/announce");
        Assert.Equal(TrackerFailure.ConnectionRefused, f.Code);
    }

    [Fact]
    public async Task Scrape_uses_the_bep48_url()
    {
        var hash = Request().InfoHash;
        using var t = new FakeHttpTracker(target =>
        {
            if (!target.StartsWith("/scrape?", StringComparison.Ordinal)) return new FakeAnswer(404, Array.Empty<byte>());
            var body = new TorrentXT.Engine.Bencoding.BencodeWriter().BeginDictionary().String("files").BeginDictionary().String(hash)
                .BeginDictionary().String("complete").Integer(1).String("incomplete").Integer(2).End().End().End().ToArray();
            return new FakeAnswer(200, body);
        });
        var r = await _client.ScrapeAsync(t.Url(), hash, Limits, CancellationToken.None);
        Assert.Equal((1, 2), (r.Complete, r.Incomplete));
        var none = await Assert.ThrowsAsync<TrackerFailure>(() => _client.ScrapeAsync(t.Url("/a"), hash, Limits, CancellationToken.None));
        Assert.Equal(TrackerFailure.ScrapeNotAvailable, none.Code);
    }
}
