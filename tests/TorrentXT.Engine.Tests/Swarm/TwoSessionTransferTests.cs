// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Tests.Creation;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Torrents;
using Xunit;
using EngineSession = TorrentXT.Engine.Session;

namespace TorrentXT.Engine.Tests.Swarm;

/// <summary>
/// Two engine sessions in one process on 127.0.0.1: one seeds a vector torrent, the other joins
/// from a magnet link whose x.pe names the seeder. Every wait is bounded.
/// </summary>
public abstract class TwoSessions : IDisposable
{
    private protected readonly TempDir _seedDir = new(), _leechDir = new();
    private protected readonly EngineSession _seeder = new(SessionTests.LoopbackSettings());
    private protected readonly EngineSession _leecher = new(SessionTests.LoopbackSettings());

    public void Dispose()
    {
        _seeder.Dispose();
        _leecher.Dispose();
        _seedDir.Dispose();
        _leechDir.Dispose();
    }

    private protected Torrent Seed(string id)
    {
        TestTorrents.WritePayload(id, _seedDir.Path);
        var t = _seeder.Add(AddTorrentParams.FromTorrent(TestTorrents.Load(id), _seedDir.Path, TorrentFlags.Default), out _);
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding && !t.IsPaused, 15_000), "the seeder checks its data");
        Assert.True(TestTorrents.WaitUntil(() => _seeder.ListenPort > 0));
        return t;
    }

    private protected static string MagnetFor(Torrent t, int port)
    {
        var h = t.InfoHashes;
        string uri = "magnet:?";
        if (h.V1Hex is { } v1) uri += "xt=urn:btih:" + v1 + "&";
        if (h.V2Hex is { } v2) uri += "xt=urn:btmh:1220" + v2 + "&";
        return uri + "x.pe=127.0.0.1:" + port;
    }

    private protected void AssertSameFiles(string id)
    {
        foreach (var (path, _, _) in CreationVectors.PayloadFiles(id))
        {
            var expected = File.ReadAllBytes(Path.Combine(_seedDir.Path, path));
            var got = Path.Combine(_leechDir.Path, path);
            Assert.True(File.Exists(got), path + " was downloaded");
            Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(got)), path + " has the seeder's bytes");
        }
    }
}

/// <summary>A magnet's metadata (BEP 9) and every byte arrive; counters, pause and disposal behave.</summary>
public sealed class TwoSessionTransferTests : TwoSessions
{
    [Theory]
    [InlineData("v1_multi")]
    [InlineData("hybrid_multi")]
    [InlineData("v1_single")]
    public void A_magnet_with_a_peer_downloads_metadata_and_every_byte(string id)
    {
        var seed = Seed(id);
        var magnet = MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort));
        var leech = _leecher.Add(AddTorrentParams.FromMagnet(magnet, _leechDir.Path, TorrentFlags.Default), out _);

        Assert.True(TestTorrents.WaitUntil(() => leech.State == TorrentState.Seeding, 30_000),
            $"the leecher completes (state {leech.State}, progress {leech.GetStatus().Progress})");
        Assert.True(leech.HasMetadata);
        Assert.Equal(seed.InfoHashes.V1Hex, leech.InfoHashes.V1Hex);
        AssertSameFiles(id);
        long total = leech.GetStatus().TotalWanted;
        Assert.True(TestTorrents.WaitUntil(() => leech.GetStatus().AllTimeDownload >= total && seed.GetStatus().AllTimeUpload >= total, 5_000),
            $"counters: downloaded {leech.GetStatus().AllTimeDownload}, uploaded {seed.GetStatus().AllTimeUpload}, of {total}");
    }

    [Theory]
    [InlineData("v2_multi")]
    [InlineData("hybrid_multi")]
    public void A_v2_magnet_fetches_and_proves_the_piece_layers_from_the_seeder(string id)
    {
        var seed = Seed(id);
        var leech = _leecher.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort)), _leechDir.Path, TorrentFlags.Default), out _);
        Assert.True(TestTorrents.WaitUntil(() => leech.State == TorrentState.Seeding, 30_000),
            $"the leecher completes (state {leech.State}, progress {leech.GetStatus().Progress})");
        AssertSameFiles(id);
        // The layers came over the wire (BEP 52) and now travel with the metadata, as in the .torrent.
        // A hybrid's v1 hashes let the download finish first; the layers still follow.
        Assert.True(TestTorrents.WaitUntil(() => leech.Info!.HasPieceLayers, 10_000), "the piece layers arrive");
        Assert.False(seed.Info!.PieceLayersEncoded.IsEmpty);
        Assert.True(seed.Info.PieceLayersEncoded.Span.SequenceEqual(leech.Info!.PieceLayersEncoded.Span));
        Assert.True(leech.Info.ToTorrentFile().AsSpan().SequenceEqual(TorrentInfo.Load(leech.Info.ToTorrentFile()).ToTorrentFile()));
    }

    [Fact]
    public void Connected_peers_show_in_the_status_of_both_sides()
    {
        // Check while the connection is up: with close_redundant_connections off, the leecher, once
        // done, stays connected to the seeder, so both sides count one connection.
        _leecher.Settings.SetBool(TorrentXT.Engine.Settings.SettingIds.CloseRedundantConnections, false);
        _seeder.Settings.SetBool(TorrentXT.Engine.Settings.SettingIds.CloseRedundantConnections, false);
        var seed = Seed("v1_multi");
        var leech = _leecher.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort)), _leechDir.Path, TorrentFlags.Default), out _);
        Assert.True(TestTorrents.WaitUntil(() => leech.State == TorrentState.Seeding, 30_000));
        // The counters are published by the 200 ms tick, and a small torrent can finish within one.
        Assert.True(TestTorrents.WaitUntil(() => leech.GetStatus().NumConnections == 1 && seed.GetStatus().NumConnections == 1
                                                 && leech.GetStatus().NumSeeds == 1, 5_000));

        var seen = Assert.Single(leech.PeerList());
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, _seeder.ListenPort), seen.Endpoint);
        Assert.Equal("TorrentXT/0.1.0", seen.Client); // the 'v' of its extension handshake
        Assert.Equal(1f, seen.Progress);
        Assert.True(seen.Flags.HasFlag(PeerInfoFlags.Seed) && seen.Flags.HasFlag(PeerInfoFlags.OutgoingConnection)
                    && seen.Flags.HasFlag(PeerInfoFlags.SupportsExtensions), seen.Flags.ToString());
        var back = Assert.Single(seed.PeerList());
        Assert.False(back.Flags.HasFlag(PeerInfoFlags.OutgoingConnection));
        Assert.Equal(IPAddress.Loopback, back.Endpoint.Address);
    }

    [Fact]
    public void A_paused_torrent_does_not_connect_and_resuming_it_downloads()
    {
        var seed = Seed("v1_single");
        var magnet = MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort));
        var leech = _leecher.Add(AddTorrentParams.FromMagnet(magnet, _leechDir.Path, TorrentFlags.Paused), out _);
        Thread.Sleep(800);
        Assert.Equal(0, leech.GetStatus().NumConnections);
        Assert.Equal(0, seed.GetStatus().NumConnections);
        Assert.False(leech.HasMetadata);

        leech.Resume();
        Assert.True(TestTorrents.WaitUntil(() => leech.State == TorrentState.Seeding, 30_000));
        AssertSameFiles("v1_single");

        leech.Pause();
        Assert.True(TestTorrents.WaitUntil(() => seed.GetStatus().NumConnections == 0 && leech.GetStatus().NumConnections == 0, 5_000),
            "pausing disconnects");
    }

    [Fact]
    public void Disposing_a_session_with_live_connections_is_prompt()
    {
        // The transfer may finish before a tick counts the connection: keep the two seeds connected.
        _leecher.Settings.SetBool(TorrentXT.Engine.Settings.SettingIds.CloseRedundantConnections, false);
        _seeder.Settings.SetBool(TorrentXT.Engine.Settings.SettingIds.CloseRedundantConnections, false);
        var seed = Seed("v1_multi");
        var leech = _leecher.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort)), _leechDir.Path, TorrentFlags.Default), out _);
        Assert.True(TestTorrents.WaitUntil(() => leech.GetStatus().NumConnections == 1, 10_000));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        _seeder.Dispose();
        _leecher.Dispose();
        Assert.True(sw.ElapsedMilliseconds < 6000, $"took {sw.ElapsedMilliseconds} ms");
    }
}

/// <summary>Which peers are admitted: IP filter, connection limits, bans after failed hash checks.</summary>
public sealed class SwarmPeerPolicyTests : TwoSessions
{
    [Fact]
    public void The_ip_filter_blocks_peers_of_torrents_that_apply_it()
    {
        var seed = Seed("v1_single");
        _leecher.IpFilter.Add(IPAddress.Parse("127.0.0.0"), IPAddress.Parse("127.255.255.255"), blocked: true);
        var magnet = MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort));
        var leech = _leecher.Add(AddTorrentParams.FromMagnet(magnet, _leechDir.Path, TorrentFlags.Default), out _);
        Thread.Sleep(1000);
        Assert.False(leech.HasMetadata);
        Assert.Equal(0, leech.GetStatus().NumConnections);
    }

    [Fact]
    public void A_peer_whose_pieces_keep_failing_the_hash_check_is_banned_and_the_rest_is_kept()
    {
        // seed_mode: the seeder vouches for its data without checking, so it serves a corrupt piece.
        TestTorrents.WritePayload("v1_multi", _seedDir.Path);
        var info = TestTorrents.Load("v1_multi");
        string victim = Path.Combine(_seedDir.Path, "v1_multi", "README.txt");
        var bytes = File.ReadAllBytes(victim);
        bytes[10] ^= 0xFF;
        File.WriteAllBytes(victim, bytes);
        var seed = _seeder.Add(AddTorrentParams.FromTorrent(info, _seedDir.Path, TorrentFlags.Default | TorrentFlags.SeedMode), out _);
        Assert.True(TestTorrents.WaitUntil(() => seed.State == TorrentState.Seeding && !seed.IsPaused && _seeder.ListenPort > 0, 15_000));

        var leech = _leecher.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort)), _leechDir.Path, TorrentFlags.Default), out _);
        Assert.True(TestTorrents.WaitUntil(() => leech.HasMetadata && leech.GetStatus().TotalDone == leech.GetStatus().TotalWanted - info.Files.PieceSize(0), 30_000),
            $"every piece but the corrupt one arrives (done {leech.GetStatus().TotalDone})");
        Assert.True(TestTorrents.WaitUntil(() => leech.GetStatus().NumConnections == 0, 10_000), "the peer is disconnected after repeated failures");
        Thread.Sleep(11_000); // past the 10 s reconnect delay: a banned peer is not dialled again
        Assert.Equal(0, leech.GetStatus().NumConnections);
        Assert.False(leech.PieceBitfield()![0] >= 0x80, "piece 0 is not marked present");
        Assert.Equal(TorrentState.Downloading, leech.State);
    }
}

/// <summary>connections_limit and the per-torrent limit (its own class: it waits out a 10 s redial).</summary>
public sealed class SwarmConnectionLimitTests : TwoSessions
{
    [Fact]
    public void A_torrent_accepts_no_more_peers_than_its_connection_limit()
    {
        var seed = Seed("v1_single");
        seed.MaxConnections = 1;
        // Two seeds would drop their connection as redundant (libtorrent's default): keep it open.
        _leecher.Settings.SetBool(TorrentXT.Engine.Settings.SettingIds.CloseRedundantConnections, false);
        _seeder.Settings.SetBool(TorrentXT.Engine.Settings.SettingIds.CloseRedundantConnections, false);
        var magnet = MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort));
        var first = _leecher.Add(AddTorrentParams.FromMagnet(magnet, _leechDir.Path, TorrentFlags.Default), out _);
        Assert.True(TestTorrents.WaitUntil(() => first.State == TorrentState.Seeding, 30_000));

        using var thirdDir = new TempDir();
        using var third = new EngineSession(SessionTests.LoopbackSettings());
        var second = third.Add(AddTorrentParams.FromMagnet(magnet, thirdDir.Path, TorrentFlags.Default), out _);
        Thread.Sleep(1500);
        Assert.False(second.HasMetadata, "the second peer was turned away");
        Assert.Equal(1, seed.GetStatus().NumConnections);

        _leecher.Remove(first, deleteFiles: false); // frees the slot; the third session retries every 10 s
        Assert.True(TestTorrents.WaitUntil(() => second.State == TorrentState.Seeding, 30_000), "the freed slot is used");
    }
}
