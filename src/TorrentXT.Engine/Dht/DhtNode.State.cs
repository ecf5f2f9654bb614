// SPDX-License-Identifier: MIT
using System.Net;

namespace TorrentXT.Engine.Dht;

/// <summary>Routing state for saving and restoring (the session writes it in libtorrent's "dht state" form).</summary>
public sealed partial class DhtNode
{
    /// <summary>Our id and the live nodes' endpoints (dispatcher-safe snapshot; bounded wait).</summary>
    public (byte[] Id, List<IPEndPoint> Nodes) Snapshot() =>
        _dispatcher.Invoke(() => (Table.OwnId.ToArray(), Table.AllLive().Where(n => n.Confirmed).Select(n => n.EndPoint).ToList()),
            (Table.OwnId.ToArray(), new List<IPEndPoint>()));

    /// <summary>The write token we would hand <paramref name="ip"/> now (tests; dispatcher thread).</summary>
    internal byte[] TokenFor(IPAddress ip) => _tokens.Make(ip);

    /// <summary>Summary counters for stats (any thread).</summary>
    public override string ToString() => $"dht {LocalEndPoint}: {NodeCount} nodes, {NodeCacheCount} cached, {TorrentCount} torrents, {ItemCount} items";
}
