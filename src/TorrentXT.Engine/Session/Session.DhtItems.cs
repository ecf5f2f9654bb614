// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Dht;

namespace TorrentXT.Engine;

/// <summary>
/// BEP 44 through the session (each operation runs on every node and reports once, combined)
/// and the DHT routing state in libtorrent's "dht state" form.
/// </summary>
public sealed partial class Session
{
    /// <summary>Counts down the nodes an operation runs on; the last one to finish reports.</summary>
    private sealed class Gather(int count)
    {
        private int _left = count;
        public bool Done() => Interlocked.Decrement(ref _left) == 0;
    }

    /// <summary>Stores raw bytes as an immutable item; a dhtPut alert follows. No nodes: nothing happens.</summary>
    public void DhtPutImmutable(byte[] raw)
    {
        var nodes = DhtNodes;
        if (nodes.Count == 0) return;
        var value = DhtItems.EncodeStringValue(raw);
        var target = DhtItems.ImmutableTargetOfBencoded(value);
        var gather = new Gather(nodes.Count);
        int success = 0;
        foreach (var n in nodes)
            n.PutImmutable(value, ok =>
            {
                Interlocked.Add(ref success, ok);
                if (gather.Done()) Alerts.Post(new DhtPutAlert(target, null, null, 0, [], Volatile.Read(ref success)));
            });
    }

    /// <summary>Looks an immutable item up; one dhtImmutableItem alert follows (value null: not found).</summary>
    public void DhtGetImmutable(byte[] target)
    {
        var nodes = DhtNodes;
        if (nodes.Count == 0) return;
        var gather = new Gather(nodes.Count);
        byte[]? found = null;
        foreach (var n in nodes)
            n.GetImmutable(target, v =>
            {
                if (v is not null) Interlocked.CompareExchange(ref found, v, null);
                if (gather.Done()) Alerts.Post(new DhtImmutableItemAlert(target, Volatile.Read(ref found)));
            });
    }

    /// <summary>Signs and stores a mutable item (seq one past the highest found); a dhtPut alert follows.</summary>
    public void DhtPutMutable(byte[] publicKey, byte[] secretKey, byte[] salt, byte[] raw)
    {
        var nodes = DhtNodes;
        if (nodes.Count == 0) return;
        var gather = new Gather(nodes.Count);
        int success = 0;
        MutableItem? last = null;
        foreach (var n in nodes)
            n.PutMutable(publicKey, secretKey, salt, raw, (ok, item) =>
            {
                Interlocked.Add(ref success, ok);
                lock (gather) if (last is null || item.Seq > last.Seq) last = item;
                if (gather.Done())
                    Alerts.Post(new DhtPutAlert(null, publicKey, last!.Signature, last.Seq, salt, Volatile.Read(ref success)));
            });
    }

    /// <summary>Looks a mutable item up: a dhtMutableItem alert per newer item, then an authoritative one.</summary>
    public void DhtGetMutable(byte[] publicKey, byte[] salt)
    {
        var nodes = DhtNodes;
        if (nodes.Count == 0) return;
        var gather = new Gather(nodes.Count);
        MutableItem? best = null;
        foreach (var n in nodes)
            n.GetMutable(publicKey, salt, (item, authoritative) =>
            {
                lock (gather)
                {
                    if (item is not null && (best is null || item.Seq > best.Seq))
                    {
                        best = item;
                        if (!authoritative) Alerts.Post(new DhtMutableItemAlert(publicKey, salt, item.Value, item.Signature, item.Seq, false));
                    }
                }
                if (authoritative && gather.Done())
                {
                    lock (gather)
                        Alerts.Post(best is null
                            ? new DhtMutableItemAlert(publicKey, salt, null, new byte[Ed25519Keys.SignatureBytes], 0, true)
                            : new DhtMutableItemAlert(publicKey, salt, best.Value, best.Signature, best.Seq, true));
                }
            });
    }

    // ---- state ----------------------------------------------------------------------------------

    /// <summary>
    /// {"dht state": {"node-id": [id ‖ address, ...], "nodes": [compact, ...], "nodes6": [...]}},
    /// libtorrent's session-parameters form; with the DHT off only an empty node-id list.
    /// </summary>
    public byte[] SaveDhtState()
    {
        var ids = new BList();
        var nodes4 = new BList();
        var nodes6 = new BList();
        foreach (var node in DhtNodes)
        {
            var (id, live) = node.Snapshot();
            var address = node.LocalEndPoint.Address;
            var entry = new byte[NodeId.Bytes + (address.AddressFamily == AddressFamily.InterNetworkV6 ? 16 : 4)];
            id.CopyTo(entry, 0);
            address.TryWriteBytes(entry.AsSpan(NodeId.Bytes), out _);
            ids.Add(entry);
            foreach (var ep in live) (Compact.Family(ep) == AddressFamily.InterNetworkV6 ? nodes6 : nodes4).Add(Compact.Endpoint(ep));
        }
        var state = new BDict { ["node-id"] = ids };
        if (nodes4.Count > 0) state["nodes"] = nodes4;
        if (nodes6.Count > 0) state["nodes6"] = nodes6;
        return BencodeWriter.Encode(new BDict { ["dht state"] = state });
    }

    /// <summary>
    /// Loads a state blob (ours or libtorrent's; also its older form with single strings): node ids
    /// are used when nodes for those addresses (re)open, node addresses are joined through now.
    /// Input that is not such a dict is simply empty. Throws <see cref="BencodeException"/> on garbage.
    /// </summary>
    public void LoadDhtState(ReadOnlyMemory<byte> blob)
    {
        var root = BencodeReader.Decode(blob);
        var state = root.GetDictionary("dht state");
        if (state is null) return;
        var endpoints = new List<IPEndPoint>();
        lock (_dhtNodes)
        {
            foreach (var entry in Strings(state.Get("node-id")))
            {
                var b = entry.Span;
                if (b.Length == NodeId.Bytes + 4 || b.Length == NodeId.Bytes + 16)
                    _dhtSavedIds[new IPAddress(b[NodeId.Bytes..])] = b[..NodeId.Bytes].ToArray();
            }
            foreach (var key in new[] { "nodes", "nodes6" })
                foreach (var s in Strings(state.Get(key)))
                    for (int size = s.Length % 18 == 0 && key == "nodes6" ? 18 : 6, at = 0; at + size <= s.Length; at += size)
                        if (Compact.ReadEndpoint(s.Span.Slice(at, size)) is { Port: > 0 } ep && _dhtExtraNodes.Count < 256 && !_dhtExtraNodes.Contains(ep))
                        {
                            _dhtExtraNodes.Add(ep);
                            endpoints.Add(ep);
                        }
        }
        foreach (var node in DhtNodes)
            foreach (var ep in endpoints.Where(e => Compact.Family(e) == node.Family).Take(64))
                node.AddNode(ep);
        foreach (var node in DhtNodes)
            if (node.NodeCount < RoutingTable.K)
                node.Bootstrap(endpoints.Where(e => Compact.Family(e) == node.Family).Take(64));
    }

    /// <summary>A list of strings, or one string (libtorrent's older format).</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Strings(BValue? v)
    {
        if (v is null) yield break;
        if (v.IsString) { yield return v.Bytes; yield break; }
        foreach (var item in v.Items) if (item.IsString) yield return item.Bytes;
    }
}
