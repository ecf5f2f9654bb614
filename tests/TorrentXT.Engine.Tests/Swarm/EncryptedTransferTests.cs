// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Torrents;
using Xunit;

namespace TorrentXT.Engine.Tests.Swarm;

/// <summary>Two engine sessions under protocol encryption (MSE) policies: what connects, and how.</summary>
public sealed class EncryptedTransferTests : TwoSessions
{
    private void Policies(EngineSessionSide side, int inPolicy, int outPolicy, int level, bool preferRc4 = false)
    {
        var s = side == EngineSessionSide.Seeder ? _seeder.Settings : _leecher.Settings;
        s.SetInt(SettingIds.InEncPolicy, inPolicy);
        s.SetInt(SettingIds.OutEncPolicy, outPolicy);
        s.SetInt(SettingIds.AllowedEncLevel, level);
        s.SetBool(SettingIds.PreferRc4, preferRc4);
        s.SetBool(SettingIds.CloseRedundantConnections, false); // keep the link up to look at its flags
    }

    public enum EngineSessionSide { Seeder, Leecher }

    [Theory]
    [InlineData("v1_multi", 2, PeerInfoFlags.Rc4Encrypted)]
    [InlineData("hybrid_multi", 2, PeerInfoFlags.Rc4Encrypted)]     // the dial uses the truncated v2 hash as SKEY
    [InlineData("v1_single", 1, PeerInfoFlags.PlaintextEncrypted)]
    public void Forced_encryption_downloads_every_byte_and_flags_the_link(string id, int level, PeerInfoFlags expected)
    {
        Policies(EngineSessionSide.Seeder, 0, 0, level);
        Policies(EngineSessionSide.Leecher, 0, 0, level);
        var seed = Seed(id);
        var leech = LeechByMagnet(seed);
        Assert.True(TestTorrents.WaitUntil(() => leech.State == TorrentState.Seeding, 30_000),
            $"the leecher completes (state {leech.State}, progress {leech.GetStatus().Progress})");
        AssertSameFiles(id);
        var seen = Assert.Single(leech.PeerList());
        Assert.Equal(expected, seen.Flags & (PeerInfoFlags.Rc4Encrypted | PeerInfoFlags.PlaintextEncrypted));
        var back = Assert.Single(seed.PeerList());
        Assert.Equal(expected, back.Flags & (PeerInfoFlags.Rc4Encrypted | PeerInfoFlags.PlaintextEncrypted));
    }

    [Fact]
    public void Default_settings_negotiate_mse_and_select_plaintext_like_libtorrent()
    {
        Policies(EngineSessionSide.Seeder, 1, 1, 3);
        Policies(EngineSessionSide.Leecher, 1, 1, 3);
        var seed = Seed("v1_single");
        var leech = LeechByMagnet(seed);
        Assert.True(TestTorrents.WaitUntil(() => leech.State == TorrentState.Seeding, 30_000));
        Assert.Equal(PeerInfoFlags.PlaintextEncrypted, Assert.Single(leech.PeerList()).Flags & (PeerInfoFlags.Rc4Encrypted | PeerInfoFlags.PlaintextEncrypted));
    }

    [Fact]
    public void An_enabled_dialer_falls_back_to_plaintext_when_the_peer_refuses_mse()
    {
        Policies(EngineSessionSide.Seeder, 2, 2, 3);   // encryption disabled: MSE is refused
        Policies(EngineSessionSide.Leecher, 1, 1, 3);  // enabled: tries MSE first, then plaintext
        var seed = Seed("v1_single");
        var leech = LeechByMagnet(seed);
        Assert.True(TestTorrents.WaitUntil(() => leech.State == TorrentState.Seeding, 30_000), "plaintext redial after the refused MSE attempt");
        AssertSameFiles("v1_single");
        Assert.Equal(PeerInfoFlags.None, Assert.Single(leech.PeerList()).Flags & (PeerInfoFlags.Rc4Encrypted | PeerInfoFlags.PlaintextEncrypted));
    }

    [Fact]
    public void Forced_against_disabled_never_connects()
    {
        Policies(EngineSessionSide.Seeder, 2, 2, 3);
        Policies(EngineSessionSide.Leecher, 0, 0, 3);
        var seed = Seed("v1_single");
        var leech = LeechByMagnet(seed);
        Assert.False(TestTorrents.WaitUntil(() => leech.HasMetadata || leech.PeerList().Count > 0 || seed.PeerList().Count > 0, 3_000));
    }

    /// <summary>The leecher joins from a magnet naming the seeder (x.pe).</summary>
    private Torrent LeechByMagnet(Torrent seed) =>
        _leecher.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort)), _leechDir.Path, TorrentFlags.Default), out _);
}
