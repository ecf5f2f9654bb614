// SPDX-License-Identifier: MIT
using System.Diagnostics;
using TorrentXT.Engine.Dht;
using Xunit;
using Xunit.Abstractions;

namespace TorrentXT.Engine.Tests.Dht;

/// <summary>
/// 220 engine nodes in one process on loopback: lookups for random nodes' ids converge in a few
/// hops. Prints hops, queries and time per lookup (the numbers quoted in docs/dht.md).
/// </summary>
public class DhtSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public void Lookups_in_a_220_node_network_converge_in_few_hops()
    {
        var clock = Stopwatch.StartNew();
        using var net = new DhtTestNet(220);
        net.BootstrapAll(TimeSpan.FromSeconds(90));
        output.WriteLine($"bootstrap of 220 nodes: {clock.ElapsedMilliseconds} ms; table sizes min {net.Nodes.Skip(1).Min(n => n.Table.LiveCount)} avg {net.Nodes.Skip(1).Average(n => n.Table.LiveCount):F1}");
        var rnd = new Random(7);
        int exact = 0, lookups = 30;
        var hops = new List<int>();
        var times = new List<double>();
        var queries = new List<int>();
        for (int i = 0; i < lookups; i++)
        {
            var from = net.Nodes[rnd.Next(net.Nodes.Count)];
            var target = net.Nodes[rnd.Next(net.Nodes.Count)].Id;
            var (closest, stats) = DhtTestNet.Await<(List<NodeInfo>, LookupStats)>(k => from.FindNode(target, (c, s) => k((c, s))), TimeSpan.FromSeconds(30));
            if (closest.Count > 0 && closest[0].Id.AsSpan().SequenceEqual(target) || from.Id.AsSpan().SequenceEqual(target)) exact++;
            hops.Add(stats.Hops);
            times.Add(stats.Duration.TotalMilliseconds);
            queries.Add(stats.Queries);
        }
        output.WriteLine($"{lookups} lookups: found the exact node {exact}x; hops avg {hops.Average():F2} max {hops.Max()}; " +
                         $"queries avg {queries.Average():F1}; time avg {times.Average():F1} ms max {times.Max():F1} ms");
        Assert.True(exact >= lookups - 1, $"only {exact}/{lookups} lookups reached their target");
        Assert.True(hops.Average() <= 6, "lookups should converge in a few hops");
    }
}
