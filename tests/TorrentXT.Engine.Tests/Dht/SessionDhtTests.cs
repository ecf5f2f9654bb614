// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Dht;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Torrents;
using Xunit;
using EngineSession = TorrentXT.Engine.Session;

namespace TorrentXT.Engine.Tests.Dht;

/// <summary>The session's DHT against a small in-process DHT: bootstrap, announces, private torrents, enable_dht, state.</summary>
public class SessionDhtTests : IDisposable
{
    private readonly DhtTestNet _net = new(12);
    private readonly string _dir = Directory.CreateTempSubdirectory("btx-dht-").FullName;

    public SessionDhtTests() => _net.BootstrapAll(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _net.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private EngineSession NewSession()
    {
        var settings = SessionTests.LoopbackSettings();
        settings.SetBool(SettingIds.DhtRestrictRoutingIps, false);
        settings.SetBool(SettingIds.DhtRestrictSearchIps, false);
        settings.SetInt(SettingIds.DhtBlockRatelimit, 0);
        settings.SetInt(SettingIds.DhtUploadRateLimit, 0);
        settings.SetString(SettingIds.DhtBootstrapNodes, $"127.0.0.1:{_net.Nodes[0].LocalEndPoint.Port},127.0.0.1:{_net.Nodes[1].LocalEndPoint.Port}");
        return new EngineSession(settings);
    }

    private static List<Alert> Drain(EngineSession s) { var l = new List<Alert>(); s.Alerts.DrainTo(l); return l; }

    private List<IPEndPoint> PeersOf(byte[] infoHash)
    {
        var found = new List<IPEndPoint>();
        DhtTestNet.Await<LookupStats>(k => _net.Nodes[7].GetPeers(infoHash, p => { lock (found) found.AddRange(p); }, k), TimeSpan.FromSeconds(20));
        lock (found) return found.ToList();
    }

    [Fact]
    public void Session_bootstraps_counts_nodes_and_its_torrents_announce_but_private_ones_do_not()
    {
        using var s = NewSession();
        var alerts = new List<Alert>();
        Assert.True(TestTorrents.WaitUntil(() => { alerts.AddRange(Drain(s)); return alerts.OfType<DhtBootstrapAlert>().Any(); }, 20_000));
        Assert.Single(s.DhtNodes);
        Assert.Equal(s.ListenPort, s.DhtNodes[0].LocalEndPoint.Port); // UDP on the listen port
        s.RequestStats();
        Assert.True(TestTorrents.WaitUntil(() =>
        {
            s.RequestStats();
            return Drain(s).OfType<SessionStatsAlert>().Any(a => a.DhtNodes >= RoutingTable.K);
        }, 10_000));

        var publicHash = NodeId.Random();
        s.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse("magnet:?xt=urn:btih:" + Convert.ToHexStringLower(publicHash)), _dir, TorrentFlags.Default), out _);
        var priv = PrivateTorrent();
        s.Add(AddTorrentParams.FromTorrent(priv, _dir, TorrentFlags.Default), out _);
        var me = new IPEndPoint(IPAddress.Loopback, s.ListenPort);
        Assert.True(TestTorrents.WaitUntil(() => PeersOf(publicHash).Contains(me), 20_000), "the public torrent is announced");
        Assert.DoesNotContain(me, PeersOf(priv.InfoHashes.V1!)); // and the private one never is
    }

    [Fact]
    public void Enable_dht_applies_live_and_state_round_trips()
    {
        using var s = NewSession();
        Assert.True(TestTorrents.WaitUntil(() => s.DhtNodes.Count == 1 && s.DhtNodes[0].NodeCount >= RoutingTable.K, 20_000));
        var blob = s.SaveDhtState();
        var state = BencodeReader.Decode(blob).GetDictionary("dht state")!;
        Assert.Equal(24, state.GetList("node-id")!.Items.Single().Bytes.Length); // id + IPv4 address
        Assert.True(state.GetList("nodes")!.Items.Count >= RoutingTable.K);

        s.Settings.SetBool(SettingIds.EnableDht, false);
        Assert.True(TestTorrents.WaitUntil(() => s.DhtNodes.Count == 0));
        Assert.Equal("d9:dht stated7:node-idleee"u8.ToArray(), s.SaveDhtState());

        // The saved id and nodes come back: the new node keeps its id and joins through the saved nodes
        // (the bootstrap list is emptied so only the state can help).
        s.Settings.SetString(SettingIds.DhtBootstrapNodes, "");
        s.LoadDhtState(blob);
        s.Settings.SetBool(SettingIds.EnableDht, true);
        Assert.True(TestTorrents.WaitUntil(() => s.DhtNodes.Count == 1 && s.DhtNodes[0].NodeCount >= RoutingTable.K, 20_000));
        Assert.Equal(state.GetList("node-id")!.Items[0].Bytes[..20].ToArray(), s.DhtNodes[0].Id);
    }

    [Fact]
    public void Bep44_through_the_session_posts_put_and_item_alerts()
    {
        using var s = NewSession();
        Assert.True(TestTorrents.WaitUntil(() => s.DhtNodes.Count == 1 && s.DhtNodes[0].NodeCount >= RoutingTable.K, 20_000));
        var alerts = new List<Alert>();
        bool Seen<T>(Func<T, bool> pred) where T : Alert { alerts.AddRange(Drain(s)); return alerts.OfType<T>().Any(pred); }

        s.DhtPutImmutable("hi"u8.ToArray());
        var target = DhtItems.ImmutableTarget("hi"u8);
        Assert.True(TestTorrents.WaitUntil(() => Seen<DhtPutAlert>(a => a.Target is { } t && t.AsSpan().SequenceEqual(target) && a.NumSuccess > 0), 20_000));
        s.DhtGetImmutable(target);
        Assert.True(TestTorrents.WaitUntil(() => Seen<DhtImmutableItemAlert>(a => a.Value is { } v && v.AsSpan().SequenceEqual("2:hi"u8)), 20_000));

        var keys = Ed25519Keys.Generate();
        s.DhtPutMutable(keys.PublicKey, keys.SecretKey, "s"u8.ToArray(), "one"u8.ToArray());
        Assert.True(TestTorrents.WaitUntil(() => Seen<DhtPutAlert>(a => a.Seq == 1 && a.NumSuccess > 0), 20_000));
        s.DhtPutMutable(keys.PublicKey, keys.SecretKey, "s"u8.ToArray(), "two"u8.ToArray());
        Assert.True(TestTorrents.WaitUntil(() => Seen<DhtPutAlert>(a => a.Seq == 2 && a.NumSuccess > 0), 20_000));
        s.DhtGetMutable(keys.PublicKey, "s"u8.ToArray());
        Assert.True(TestTorrents.WaitUntil(() => Seen<DhtMutableItemAlert>(a => a.Authoritative && a.Seq == 2 && a.Value!.AsSpan().SequenceEqual("3:two"u8)), 20_000));
        s.DhtGetMutable(keys.PublicKey, "nothing"u8.ToArray());
        Assert.True(TestTorrents.WaitUntil(() => Seen<DhtMutableItemAlert>(a => a.Authoritative && a.Value is null && a.Seq == 0), 20_000));
    }

    private static TorrentInfo PrivateTorrent()
    {
        var info = new BDict { ["length"] = 5, ["name"] = "p.txt", ["piece length"] = 16384, ["pieces"] = new byte[20], ["private"] = 1 };
        return TorrentInfo.FromInfoDictionary(BencodeWriter.Encode(info));
    }
}
