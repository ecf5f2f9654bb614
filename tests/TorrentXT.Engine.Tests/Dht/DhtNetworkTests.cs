// SPDX-License-Identifier: MIT
using System.Net;
using System.Text;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Dht;
using Xunit;
using Xunit.Abstractions;

namespace TorrentXT.Engine.Tests.Dht;

/// <summary>BEP 5 and BEP 44 between in-process engine nodes on loopback.</summary>
public class DhtNetworkTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public void Nodes_bootstrap_fill_their_tables_and_find_each_other()
    {
        using var net = new DhtTestNet(24);
        net.BootstrapAll(Limit);
        Thread.Sleep(300);
        Assert.All(net.Nodes.Skip(1), n => Assert.True(n.Table.LiveCount >= RoutingTable.K, $"{n}: table too small"));
        var target = net.Nodes[17].Id;
        var (closest, stats) = DhtTestNet.Await<(List<NodeInfo>, LookupStats)>(k => net.Nodes[3].FindNode(target, (c, s) => k((c, s))), Limit);
        Assert.Contains(closest, c => c.Id.AsSpan().SequenceEqual(target));
        output.WriteLine($"find_node: {stats.Hops} hops, {stats.Queries} queries, {stats.Duration.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void Announced_peer_is_found_by_get_peers()
    {
        using var net = new DhtTestNet(20);
        net.BootstrapAll(Limit);
        var infoHash = NodeId.Random();
        DhtTestNet.Await<LookupStats>(k => net.Nodes[4].GetPeers(infoHash, null, k, announcePort: 45678), Limit);
        DhtTestNet.Await<LookupStats>(k => net.Nodes[9].GetPeers(infoHash, null, k, announcePort: 0), Limit); // implied port
        Thread.Sleep(200); // the announces are fire-and-forget
        var found = new List<IPEndPoint>();
        DhtTestNet.Await<LookupStats>(k => net.Nodes[15].GetPeers(infoHash, p => { lock (found) found.AddRange(p); }, k), Limit);
        lock (found)
        {
            Assert.Contains(new IPEndPoint(IPAddress.Loopback, 45678), found);
            Assert.Contains(net.Nodes[9].LocalEndPoint, found);
        }
    }

    [Fact]
    public void Immutable_item_round_trips_and_is_verified()
    {
        using var net = new DhtTestNet(20);
        net.BootstrapAll(Limit);
        var value = DhtItems.EncodeStringValue("hello world"u8);
        int stored = DhtTestNet.Await<int>(k => net.Nodes[2].PutImmutable(value, k), Limit);
        Assert.InRange(stored, 1, RoutingTable.K);
        var got = DhtTestNet.Await<byte[]?>(k => net.Nodes[11].GetImmutable(DhtItems.ImmutableTarget("hello world"u8), k), Limit);
        Assert.Equal(value, got);
        var missing = DhtTestNet.Await<byte[]?>(k => net.Nodes[11].GetImmutable(NodeId.Random(), k), Limit);
        Assert.Null(missing);
    }

    [Fact]
    public void Mutable_item_with_salt_updates_with_higher_seq()
    {
        using var net = new DhtTestNet(20);
        net.BootstrapAll(Limit);
        var keys = Ed25519Keys.Generate();
        var salt = "myapp"u8.ToArray();
        var (n1, first) = DhtTestNet.Await<(int, MutableItem)>(k => net.Nodes[1].PutMutable(keys.PublicKey, keys.SecretKey, salt, "one"u8.ToArray(), (n, i) => k((n, i))), Limit);
        Assert.True(n1 > 0);
        Assert.Equal(1, first.Seq);
        var (n2, second) = DhtTestNet.Await<(int, MutableItem)>(k => net.Nodes[7].PutMutable(keys.PublicKey, keys.SecretKey, salt, "two"u8.ToArray(), (n, i) => k((n, i))), Limit);
        Assert.True(n2 > 0);
        Assert.Equal(2, second.Seq);
        var seen = new List<(MutableItem?, bool)>();
        var final = DhtTestNet.Await<MutableItem?>(k => net.Nodes[13].GetMutable(keys.PublicKey, salt, (item, auth) =>
        {
            lock (seen) seen.Add((item, auth));
            if (auth) k(item);
        }), Limit);
        Assert.NotNull(final);
        Assert.Equal(2, final!.Seq);
        Assert.Equal("3:two", Encoding.ASCII.GetString(final.Value));
        Assert.True(DhtItems.VerifyMutableItem(final.Value, salt, final.Seq, keys.PublicKey, final.Signature));
        // Without the salt it is another target: nothing there.
        var other = DhtTestNet.Await<MutableItem?>(k => net.Nodes[13].GetMutable(keys.PublicKey, [], (item, auth) => { if (auth) k(item); }), Limit);
        Assert.Null(other);
    }

    [Fact]
    public void Blocked_addresses_are_neither_answered_nor_queried()
    {
        using var net = new DhtTestNet(2);
        net.Nodes[1].Blocked = a => IPAddress.IsLoopback(a);
        int size = DhtTestNet.Await<int>(k => net.Nodes[1].Bootstrap([net.Nodes[0].LocalEndPoint], k), Limit);
        Assert.Equal(0, size);
        DhtTestNet.Await<int>(k => net.Nodes[0].Bootstrap([net.Nodes[1].LocalEndPoint], k), Limit);
        Assert.Equal(0, net.Nodes[0].Table.LiveCount);
    }

    [Fact]
    public void Read_only_node_searches_but_never_enters_tables_or_answers()
    {
        using var net = new DhtTestNet(12, i => i == 11 ? WithReadOnly() : DhtTestNet.LoopbackConfig());
        net.BootstrapAll(Limit);
        var ro = net.Nodes[11];
        Assert.True(ro.Table.LiveCount > 0); // it can search
        Thread.Sleep(200);
        Assert.All(net.Nodes.Take(11), n => Assert.False(n.Table.Contains(ro.Id)));
        static DhtConfig WithReadOnly() { var c = DhtTestNet.LoopbackConfig(); c.ReadOnly = true; return c; }
    }
}
