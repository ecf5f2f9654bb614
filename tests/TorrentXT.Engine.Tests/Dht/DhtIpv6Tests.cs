// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Dht;
using Xunit;

namespace TorrentXT.Engine.Tests.Dht;

/// <summary>BEP 32: nodes on ::1 exchange nodes6 and 18-byte peers.</summary>
public class DhtIpv6Tests
{
    [Fact]
    public void Ipv6_nodes_bootstrap_and_find_peers()
    {
        using var dispatcher = new DhtDispatcher("dht-v6");
        var nodes = Enumerable.Range(0, 12).Select(_ => DhtNode.Start(new IPEndPoint(IPAddress.IPv6Loopback, 0), dispatcher, DhtTestNet.LoopbackConfig())).ToList();
        try
        {
            var done = new CountdownEvent(nodes.Count - 1);
            for (int i = 1; i < nodes.Count; i++) nodes[i].Bootstrap([nodes[0].LocalEndPoint, nodes[i - 1].LocalEndPoint], _ => done.Signal());
            Assert.True(done.Wait(TimeSpan.FromSeconds(30)));
            Assert.True(nodes[5].Table.LiveCount >= RoutingTable.K);
            var ih = NodeId.Random();
            DhtTestNet.Await<LookupStats>(k => nodes[3].GetPeers(ih, null, k, announcePort: 51413), TimeSpan.FromSeconds(20));
            Thread.Sleep(200);
            var found = new List<IPEndPoint>();
            DhtTestNet.Await<LookupStats>(k => nodes[9].GetPeers(ih, p => { lock (found) found.AddRange(p); }, k), TimeSpan.FromSeconds(20));
            lock (found) Assert.Contains(new IPEndPoint(IPAddress.IPv6Loopback, 51413), found);
        }
        finally
        {
            foreach (var n in nodes) n.Dispose();
        }
    }
}
