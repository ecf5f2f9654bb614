// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Torrents;
using Xunit;

namespace TorrentXT.Engine.Tests.Swarm;

/// <summary>The live swarm's unchoking obeys unchoke_slots_limit, allowed-fast pieces flow while
/// choked, and the redundant seed connection closes.</summary>
public sealed class SwarmChokingTests : TwoSessions
{
    [Fact]
    public void No_unchoke_slots_means_no_upload_until_slots_open()
    {
        _seeder.Settings.SetInt(SettingIds.UnchokeSlotsLimit, 0);
        _seeder.Settings.SetInt(SettingIds.UnchokeInterval, 1);
        var seed = Seed("v1_multi");
        var leech = _leecher.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort)), _leechDir.Path, TorrentFlags.Default), out _);
        Assert.True(TestTorrents.WaitUntil(() => leech.HasMetadata && leech.GetStatus().NumConnections == 1, 15_000), "connected, metadata fetched");
        // Choked, the leecher may still fetch the seeder's BEP 6 allowed-fast pieces (5 by default),
        // and nothing else.
        long pieceLength = seed.Info!.Files.PieceLength;
        Assert.True(TestTorrents.WaitUntil(() => leech.GetStatus().TotalDone > 0, 15_000), "allowed-fast pieces arrive while choked: leech sees "
            + string.Join(",", leech.PeerList().Select(x => x.Flags + "/" + x.Progress)) + " seed sees " + string.Join(",", seed.PeerList().Select(x => x.Flags.ToString())) + " state " + leech.State);
        Thread.Sleep(1_000);
        Assert.InRange(leech.GetStatus().TotalDone, 1, 5 * pieceLength);
        Assert.True(Assert.Single(seed.PeerList()).Flags.HasFlag(PeerInfoFlags.Choked), "the seeder chokes the leecher");

        _seeder.Settings.SetInt(SettingIds.UnchokeSlotsLimit, 8); // the next round (1 s) unchokes the leecher
        Assert.True(TestTorrents.WaitUntil(() => leech.State == TorrentState.Seeding, 30_000), $"the leecher completes (state {leech.State})");
        AssertSameFiles("v1_multi");
        // Both are seeds now: the connection is redundant and closes (libtorrent's default).
        Assert.True(TestTorrents.WaitUntil(() => leech.GetStatus().NumConnections == 0 && seed.GetStatus().NumConnections == 0, 5_000));
    }
}
