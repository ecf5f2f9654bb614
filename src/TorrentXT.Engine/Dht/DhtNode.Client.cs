// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Dht.Krpc;

namespace TorrentXT.Engine.Dht;

/// <summary>Client operations: bootstrap, find_node, get_peers and announce_peer lookups.</summary>
public sealed partial class DhtNode
{
    /// <summary>
    /// Starts a lookup (dispatcher thread) seeded from the routing table and <paramref name="extra"/>
    /// addresses. Returns null when too many lookups are running already.
    /// </summary>
    private Lookup? StartLookup(byte[] target, string method, Func<BDict>? args, Action<Lookup, LookupStats>? done,
        IEnumerable<IPEndPoint>? extra = null, Action<Lookup.Candidate, KrpcMessage>? onReply = null)
    {
        if (_disposed || _lookups.Count >= MaxLookups) { done?.Invoke(new Lookup(target, method, _config), default); return null; }
        var lookup = new Lookup(target, method, _config) { OnReply = onReply };
        string key = method == "find_node" ? "target" : method == "get_peers" ? "info_hash" : "target";
        lookup.Send = (l, c) =>
        {
            var a = args?.Invoke() ?? new BDict();
            a[key] = target;
            return SendQuery(c.EndPoint, c.Id, method, a, l, c, null);
        };
        lookup.OnDone = (l, stats) =>
        {
            _lookups.Remove(l);
            done?.Invoke(l, stats);
        };
        foreach (var n in Table.Closest(target, RoutingTable.K * 2)) lookup.AddCandidate(n.Id, n.EndPoint, 0);
        if (extra is not null) foreach (var ep in extra) lookup.AddCandidate(null, ep, 0);
        _lookups.Add(lookup);
        lookup.Step();
        return lookup;
    }

    /// <summary>
    /// Joins the DHT through the given addresses (ids unknown): a find_node for our own id, which
    /// fills the table around us. <paramref name="done"/> gets the table size when it ends.
    /// </summary>
    public void Bootstrap(IEnumerable<IPEndPoint> routers, Action<int>? done = null)
    {
        var list = routers.Where(r => Compact.Family(r) == Family).ToList();
        _dispatcher.Post(() => StartLookup(Table.OwnId, "find_node", null, (_, _) =>
        {
            // Then refresh the farther buckets once, as libtorrent's bootstrap does.
            done?.Invoke(Table.LiveCount);
        }, list));
    }

    /// <summary>Pings an address so the node can enter our table (btx_dht_add_bootstrap, load state).</summary>
    public void AddNode(IPEndPoint ep) => _dispatcher.Post(() => { if (Compact.Family(ep) == Family) Ping(ep, null); });

    /// <summary>A find_node lookup (tests, bucket refresh); <paramref name="done"/> gets the closest responders.</summary>
    public void FindNode(byte[] target, Action<List<NodeInfo>, LookupStats> done) =>
        _dispatcher.Post(() => StartLookup(target, "find_node", null,
            (l, s) => done(l.ClosestResponders(RoutingTable.K).Select(c => new NodeInfo(c.Id!, c.EndPoint)).ToList(), s)));

    /// <summary>
    /// get_peers for <paramref name="infoHash"/>; peers are reported in batches as they arrive.
    /// With <paramref name="announcePort"/> ≥ 0, then announces to the K closest nodes that gave a
    /// token (0 = implied port: the source port of our DHT socket).
    /// </summary>
    public void GetPeers(byte[] infoHash, Action<List<IPEndPoint>>? onPeers, Action<LookupStats>? done, int announcePort = -1)
    {
        _dispatcher.Post(() =>
        {
            var seen = new HashSet<IPEndPoint>();
            StartLookup(infoHash, "get_peers", null, (l, stats) =>
            {
                if (announcePort >= 0 && !_config.ReadOnly) AnnounceTo(l, infoHash, announcePort);
                done?.Invoke(stats);
            }, onReply: (c, reply) =>
            {
                if (reply.Body!.GetString("token") is { } t && t.Bytes.Length <= 64) c.Token = t.Bytes.ToArray();
                if (reply.Body.GetList("values") is not { } values || onPeers is null) return;
                var batch = new List<IPEndPoint>();
                foreach (var v in values.Items.Take(200))
                    if (v.IsString && Compact.ReadEndpoint(v.Bytes.Span) is { Port: > 0 } ep && Compact.Family(ep) == Family && seen.Add(ep))
                        batch.Add(ep);
                if (batch.Count > 0) onPeers(batch);
            });
        });
    }

    private void AnnounceTo(Lookup l, byte[] infoHash, int port)
    {
        foreach (var c in l.ClosestResponders(RoutingTable.K))
        {
            if (c.Token is null) continue;
            var a = new BDict { ["info_hash"] = infoHash, ["token"] = c.Token };
            if (port == 0) { a["implied_port"] = 1; a["port"] = LocalEndPoint.Port; }
            else a["port"] = port;
            SendQuery(c.EndPoint, c.Id, "announce_peer", a, null, null, null);
        }
    }
}
