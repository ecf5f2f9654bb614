// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Tests.Creation;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Torrents;
using TorrentXT.Engine.WebSeeds;
using Xunit;
using EngineSession = TorrentXT.Engine.Session;

namespace TorrentXT.Engine.Tests.WebSeeds;

/// <summary>Web seeds (BEP 19) against an in-process range server: only source, beside a failing seed, and serving corrupt data.</summary>
public sealed class WebSeedTests : IDisposable
{
    private readonly TempDir _www = new(), _dest = new();
    private readonly EngineSession _session;

    public WebSeedTests()
    {
        var settings = SessionTests.LoopbackSettings();
        settings.SetInt("urlseed_wait_retry", 1);
        _session = new EngineSession(settings);
    }

    public void Dispose()
    {
        _session.Dispose();
        _www.Dispose();
        _dest.Dispose();
    }

    [Fact]
    public void Urls_follow_bep19()
    {
        var multi = TestTorrents.Load("v1_multi").Files;
        var ranges = WebSeedRanges.ForPiece("http://h/w", multi, 0);
        Assert.All(ranges, r => Assert.StartsWith("http://h/w/" + multi.Name + "/", r.Url));
        Assert.Equal(multi.PieceSize(0), ranges.Sum(r => r.Length));
        var single = TestTorrents.Load("v1_single").Files;
        Assert.Equal("http://h/file.bin", WebSeedRanges.ForPiece("http://h/file.bin", single, 0)[0].Url);
        Assert.Equal("http://h/d/" + single.Name, WebSeedRanges.ForPiece("http://h/d/", single, 0)[0].Url);
    }

    private void AssertSameFiles(string id)
    {
        foreach (var (path, _, _) in CreationVectors.PayloadFiles(id))
            Assert.True(File.ReadAllBytes(Path.Combine(_www.Path, path)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_dest.Path, path))), path);
    }

    [Theory]
    [InlineData("v1_multi")]
    [InlineData("v1_single")]
    public void A_torrent_downloads_from_its_web_seed_alone(string id)
    {
        TestTorrents.WritePayload(id, _www.Path);
        using var server = new RangeServer(_www.Path);
        var t = _session.Add(AddTorrentParams.FromTorrent(TestTorrents.Load(id), _dest.Path, TorrentFlags.Default), out _);
        t.AddUrlSeed(server.Url);
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding, 30_000), $"completes from the web seed ({t.State})");
        AssertSameFiles(id);
        Assert.True(server.Requests > 0);
    }

    [Fact]
    public void A_seed_that_starts_failing_is_dropped_and_another_finishes()
    {
        TestTorrents.WritePayload("v1_multi", _www.Path);
        using var failing = new RangeServer(_www.Path) { FailAfter = 2 };
        var t = _session.Add(AddTorrentParams.FromTorrent(TestTorrents.Load("v1_multi"), _dest.Path, TorrentFlags.Default), out _);
        t.AddUrlSeed(failing.Url);
        Assert.True(TestTorrents.WaitUntil(() => _session.Swarm.WebSeedsOf(t).Any(s => s.Dropped), 20_000), "the failing seed is dropped");
        var dropped = _session.Swarm.WebSeedsOf(t).Single(s => s.Dropped);
        Assert.Contains("HTTP 500", dropped.LastError);
        Assert.NotEqual(TorrentState.Seeding, t.State);
        using var good = new RangeServer(_www.Path);
        t.AddUrlSeed(good.Url);
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding, 30_000), $"the good seed finishes ({t.State})");
        AssertSameFiles("v1_multi");
    }

    [Fact]
    public void A_seed_whose_pieces_fail_their_hash_check_is_blamed_and_dropped()
    {
        TestTorrents.WritePayload("v1_single", _www.Path);
        foreach (var (path, _, _) in CreationVectors.PayloadFiles("v1_single"))
        {
            // Every byte flipped: every piece the seed brings fails its check.
            string file = Path.Combine(_www.Path, path);
            var bytes = File.ReadAllBytes(file);
            for (int i = 0; i < bytes.Length; i++) bytes[i] ^= 0xA5;
            File.WriteAllBytes(file, bytes);
        }
        using var liar = new RangeServer(_www.Path);
        var t = _session.Add(AddTorrentParams.FromTorrent(TestTorrents.Load("v1_single"), _dest.Path, TorrentFlags.Default), out _);
        t.AddUrlSeed(liar.Url);
        Assert.True(TestTorrents.WaitUntil(() => _session.Swarm.WebSeedsOf(t).Any(s => s.Dropped), 30_000), "the lying seed is dropped");
        var seed = _session.Swarm.WebSeedsOf(t).Single();
        Assert.Contains("failed its hash check", seed.LastError);
        Assert.True(seed.HashFailures >= 3, $"max_failcount (3) hash failures in a row, saw {seed.HashFailures}");
        Assert.Equal(0, t.GetStatus().TotalDone);
        Assert.NotEqual(TorrentState.Seeding, t.State);
    }
}
