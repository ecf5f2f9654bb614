// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Dht;

namespace TorrentXT.Engine.Tests.Dht;

/// <summary>
/// N engine DHT nodes on 127.0.0.1 (ephemeral ports) sharing one dispatcher, with the loopback
/// restrictions off, bootstrapped through node 0. Disposing closes every socket.
/// </summary>
internal sealed class DhtTestNet : IDisposable
{
    public DhtDispatcher Dispatcher { get; } = new("dht-test");
    public List<DhtNode> Nodes { get; } = new();

    public static DhtConfig LoopbackConfig() => new()
    {
        RestrictRoutingIps = false, RestrictSearchIps = false, UploadRateLimit = 0, BlockRateLimit = 0,
        RequestTimeout = TimeSpan.FromSeconds(2), SlowRequest = TimeSpan.FromMilliseconds(500),
    };

    public DhtTestNet(int count, Func<int, DhtConfig>? config = null)
    {
        for (int i = 0; i < count; i++)
            Nodes.Add(DhtNode.Start(new IPEndPoint(IPAddress.Loopback, 0), Dispatcher, config?.Invoke(i) ?? LoopbackConfig()));
    }

    /// <summary>Every node bootstraps from node 0 and one random other; waits for all (bounded).</summary>
    public void BootstrapAll(TimeSpan within)
    {
        var done = new CountdownEvent(Nodes.Count - 1);
        var rnd = new Random(5);
        for (int i = 1; i < Nodes.Count; i++)
        {
            var routers = new List<IPEndPoint> { Nodes[0].LocalEndPoint };
            if (i > 1) routers.Add(Nodes[rnd.Next(1, i)].LocalEndPoint);
            Nodes[i].Bootstrap(routers, _ => done.Signal());
            if (i % 20 == 0) Thread.Sleep(50); // let earlier joiners settle so later ones find them
        }
        if (!done.Wait(within)) throw new TimeoutException("bootstrap did not finish");
    }

    public static T Await<T>(Action<Action<T>> start, TimeSpan within)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        start(v => tcs.TrySetResult(v));
        if (!tcs.Task.Wait(within)) throw new TimeoutException("DHT operation did not finish");
        return tcs.Task.Result;
    }

    public void Dispose()
    {
        foreach (var n in Nodes) n.Dispose();
        Dispatcher.Dispose();
    }
}
