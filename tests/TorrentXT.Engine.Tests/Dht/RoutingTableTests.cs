// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Dht;
using Xunit;

namespace TorrentXT.Engine.Tests.Dht;

public class RoutingTableTests
{
    private static readonly byte[] Own = new byte[20];

    private static byte[] IdInBucket(int bucket, byte tail)
    {
        var id = NodeId.RandomInBucket(Own, bucket);
        id[19] = tail;
        return id;
    }

    [Fact]
    public void A_full_bucket_keeps_k_live_nodes_and_a_replacement_cache()
    {
        var t = new RoutingTable(Own, new DhtConfig { RestrictRoutingIps = false });
        for (int i = 0; i < 20; i++)
            t.Heard(IdInBucket(0, (byte)i), new IPEndPoint(IPAddress.Loopback, 1000 + i), responded: true, verified: true, now: i);
        Assert.Equal(RoutingTable.K, t.LiveCount);
        Assert.Equal(RoutingTable.K, t.CacheCount);
    }

    [Theory]
    [InlineData(2_000)]
    [InlineData(50_000)]
    public void The_network_size_estimate_follows_how_close_the_nearest_nodes_are(int network)
    {
        // The table keeps only a few nodes per bucket, but the deepest buckets hold our nearest
        // neighbours, whose spacing gives the size of the whole network (contract D6).
        var rnd = new Random(network);
        var t = new RoutingTable(Own, new DhtConfig { RestrictRoutingIps = false });
        for (int i = 0; i < network; i++)
        {
            var id = new byte[20];
            rnd.NextBytes(id);
            t.Heard(id, new IPEndPoint(new IPAddress(0x0A000000u + (uint)i), 6881), responded: true, verified: true, now: i);
        }
        long estimate = t.EstimateNetworkSize();
        Assert.InRange(estimate, network / 3, network * 3);
    }

    [Fact]
    public void With_fewer_than_k_nodes_the_estimate_is_the_node_count()
    {
        var t = new RoutingTable(Own, new DhtConfig { RestrictRoutingIps = false });
        for (int i = 0; i < 5; i++) t.Heard(IdInBucket(i, 1), new IPEndPoint(IPAddress.Loopback, 1000 + i), true, true, i);
        Assert.Equal(5, t.EstimateNetworkSize());
    }

    [Fact]
    public void Failing_nodes_are_replaced_from_the_cache()
    {
        var t = new RoutingTable(Own, new DhtConfig { RestrictRoutingIps = false });
        var ids = Enumerable.Range(0, 9).Select(i => IdInBucket(0, (byte)i)).ToArray();
        for (int i = 0; i < 9; i++) t.Heard(ids[i], new IPEndPoint(IPAddress.Loopback, 1000 + i), true, true, i);
        Assert.False(t.Contains(ids[8]));
        t.Failed(ids[0], new IPEndPoint(IPAddress.Loopback, 1000));
        t.Failed(ids[0], new IPEndPoint(IPAddress.Loopback, 1000));
        Assert.False(t.Contains(ids[0]));
        Assert.True(t.Contains(ids[8]));
    }

    [Fact]
    public void Restricted_routing_ips_allow_one_entry_per_ip_and_one_per_prefix_per_bucket()
    {
        var t = new RoutingTable(Own, new DhtConfig { RestrictRoutingIps = true });
        Assert.True(t.Heard(IdInBucket(0, 1), new IPEndPoint(IPAddress.Parse("1.2.3.4"), 1), true, true, 0));
        Assert.False(t.Heard(IdInBucket(3, 2), new IPEndPoint(IPAddress.Parse("1.2.3.4"), 2), true, true, 0)); // same IP
        Assert.False(t.Heard(IdInBucket(0, 3), new IPEndPoint(IPAddress.Parse("1.2.3.5"), 1), true, true, 0)); // same /24, same bucket
        Assert.True(t.Heard(IdInBucket(1, 4), new IPEndPoint(IPAddress.Parse("1.2.3.5"), 1), true, true, 0));  // same /24, other bucket
        var open = new RoutingTable(Own, new DhtConfig { RestrictRoutingIps = false });
        Assert.True(open.Heard(IdInBucket(0, 1), new IPEndPoint(IPAddress.Loopback, 1), true, true, 0));
        Assert.True(open.Heard(IdInBucket(0, 2), new IPEndPoint(IPAddress.Loopback, 2), true, true, 0));
    }

    [Fact]
    public void Our_own_id_never_enters()
    {
        var t = new RoutingTable(Own, new DhtConfig());
        Assert.False(t.Heard(Own, new IPEndPoint(IPAddress.Loopback, 1), true, true, 0));
    }

    // BEP 42's published examples: IP, the id's last byte, and an id that satisfies the rule.
    [Theory]
    [InlineData("124.31.75.21", "5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401")]
    [InlineData("21.75.31.124", "5a3ce9c14e7a08645677bbd1cfe7d8f956d53256")]
    [InlineData("65.23.51.170", "a5d43220bc8f112a3d426c84764f8c2a1150e616")]
    [InlineData("84.124.73.14", "1b0321dd1bb1fe518101ceef99462b947a01ff41")]
    [InlineData("43.213.53.83", "e56f6cbf5b7c4be0237986d5243b87aa6d51305a")]
    public void Bep42_vectors_verify_and_our_ids_follow_the_rule(string ip, string idHex)
    {
        var address = IPAddress.Parse(ip);
        Assert.True(NodeId.MatchesAddress(Convert.FromHexString(idHex), address));
        var bad = Convert.FromHexString(idHex);
        bad[0] ^= 0x80;
        Assert.False(NodeId.MatchesAddress(bad, address));
        Assert.True(NodeId.MatchesAddress(NodeId.ForAddress(address), address));
        Assert.True(NodeId.MatchesAddress(NodeId.ForAddress(IPAddress.Parse("2001:db8::1")), IPAddress.Parse("2001:db8::1")));
        Assert.True(NodeId.MatchesAddress(NodeId.Random(), IPAddress.Loopback)); // local addresses are exempt
    }
}
