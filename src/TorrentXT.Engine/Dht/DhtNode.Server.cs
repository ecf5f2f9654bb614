// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Dht.Krpc;

namespace TorrentXT.Engine.Dht;

/// <summary>The server side: answering ping, find_node, get_peers, announce_peer, get and put.</summary>
public sealed partial class DhtNode
{
    private void HandleQuery(KrpcMessage q, IPEndPoint from, long now)
    {
        // BEP 43: a read-only node answers nothing.
        if (_config.ReadOnly) return;
        bool verified = NodeId.MatchesAddress(q.SenderId, from.Address);
        if (!q.ReadOnly && (verified || !_config.EnforceNodeId) &&
            Table.Observe(q.SenderId, from, responded: false, verified, now) is { Confirmed: false, PingSent: false } fresh)
        {
            // A node we only heard from is not handed out to others until it answers us once.
            fresh.PingSent = true;
            Ping(from, q.SenderId);
        }
        var a = q.Body!;
        BDict? body;
        try
        {
            body = q.Method switch
            {
                "ping" => new BDict(),
                "find_node" => FindNode(a, q, from),
                "get_peers" => GetPeers(a, q, from, now),
                "announce_peer" => AnnouncePeer(a, q, from, now),
                "get" => GetItem(a, q, from),
                "put" => PutItem(a, q, from, now),
                _ => throw new KrpcError(KrpcWriter.MethodUnknown, "Method Unknown"),
            };
        }
        catch (KrpcError e)
        {
            SendReply(KrpcWriter.Error(q.TransactionId, e.Code, e.Message), from, now);
            return;
        }
        body["id"] = Table.OwnId;
        SendReply(KrpcWriter.Response(q.TransactionId, body, from), from, now);
    }

    private sealed class KrpcError(int code, string message) : Exception(message)
    {
        public int Code { get; } = code;
    }

    private static byte[] Require20(BValue a, string key)
    {
        var v = a.GetString(key);
        if (v is null || v.Bytes.Length != NodeId.Bytes) throw new KrpcError(KrpcWriter.ProtocolError, $"missing '{key}' key");
        return v.Bytes.ToArray();
    }

    /// <summary>Adds "nodes" and/or "nodes6" (BEP 32 "want"; our own family by default).</summary>
    private void AddNodes(BDict body, BValue a, ReadOnlySpan<byte> target)
    {
        var closest = Table.Closest(target, RoutingTable.K, includeUnconfirmed: false);
        if (closest.Count < RoutingTable.K) closest = Table.Closest(target, RoutingTable.K);
        bool v6 = Family == AddressFamily.InterNetworkV6;
        bool want4 = !v6, want6 = v6;
        if (a.GetList("want") is { } want)
        {
            want4 = want6 = false;
            foreach (var w in want.Items)
            {
                if (!w.IsString) continue;
                if (w.Bytes.Span.SequenceEqual("n4"u8)) want4 = true;
                if (w.Bytes.Span.SequenceEqual("n6"u8)) want6 = true;
            }
        }
        // One node serves one family; the other family's table lives in the sibling node.
        if (want4 && !v6) body["nodes"] = Compact.Nodes(closest, AddressFamily.InterNetwork);
        if (want6 && v6) body["nodes6"] = Compact.Nodes(closest, AddressFamily.InterNetworkV6);
    }

    private BDict FindNode(BValue a, KrpcMessage q, IPEndPoint from)
    {
        var target = Require20(a, "target");
        var body = new BDict();
        AddNodes(body, a, target);
        return body;
    }

    private BDict GetPeers(BValue a, KrpcMessage q, IPEndPoint from, long now)
    {
        var infoHash = Require20(a, "info_hash");
        var body = new BDict { ["token"] = _tokens.Make(from.Address) };
        // Values are capped so the reply stays one datagram (18 bytes each for IPv6).
        int max = Math.Min(_config.MaxPeersReply, Family == AddressFamily.InterNetworkV6 ? 50 : 100);
        var peers = _peers.Get(infoHash, Family, max);
        if (peers.Count > 0)
        {
            var values = new BList();
            foreach (var p in peers) values.Add(Compact.Endpoint(p));
            body["values"] = values;
        }
        AddNodes(body, a, infoHash);
        return body;
    }

    private BDict AnnouncePeer(BValue a, KrpcMessage q, IPEndPoint from, long now)
    {
        var infoHash = Require20(a, "info_hash");
        var token = a.GetString("token");
        if (token is null || !_tokens.Valid(token.Bytes.Span, from.Address)) throw new KrpcError(KrpcWriter.ProtocolError, "invalid token");
        int port = from.Port;
        if (a.GetInteger("implied_port") is not 1)
        {
            long p = a.GetInteger("port") ?? -1;
            if (p is <= 0 or > 65535) throw new KrpcError(KrpcWriter.ProtocolError, "invalid port");
            port = (int)p;
        }
        _peers.Announce(infoHash, new IPEndPoint(from.Address, port), now);
        return new BDict();
    }

    // ---- BEP 44 ---------------------------------------------------------------------------------

    private BDict GetItem(BValue a, KrpcMessage q, IPEndPoint from)
    {
        var target = Require20(a, "target");
        var body = new BDict { ["token"] = _tokens.Make(from.Address) };
        AddNodes(body, a, target);
        var item = _items.Get(target);
        if (item is null) return body;
        if (item.Mutable)
        {
            // "seq" in the query: the requester already has that one, so skip the value.
            if (a.GetInteger("seq") is { } have && have >= item.Seq) { body["seq"] = item.Seq; return body; }
            body["k"] = item.PublicKey!;
            body["sig"] = item.Signature!;
            body["seq"] = item.Seq;
        }
        body["v"] = new BRaw(item.Value);
        return body;
    }

    private BDict PutItem(BValue a, KrpcMessage q, IPEndPoint from, long now)
    {
        var token = a.GetString("token");
        if (token is null || !_tokens.Valid(token.Bytes.Span, from.Address)) throw new KrpcError(KrpcWriter.ProtocolError, "invalid token");
        var v = a.Get("v") ?? throw new KrpcError(KrpcWriter.ProtocolError, "missing 'v' key");
        if (v.Raw.Length > DhtItems.MaxValueBencodedBytes) throw new KrpcError(KrpcWriter.MessageTooBig, "message too big");
        var value = v.Raw.ToArray();
        var k = a.GetString("k");
        if (k is null)
        {
            var target = DhtItems.ImmutableTargetOfBencoded(value);
            var old = _items.Get(target);
            if (old is not null) old.LastPut = now;
            else _items.Put(target, new StoredItem { Value = value, LastPut = now });
            return new BDict();
        }
        var sig = a.GetString("sig");
        long? seq = a.GetInteger("seq");
        if (k.Bytes.Length != Ed25519Keys.PublicKeyBytes || sig is null || sig.Bytes.Length != Ed25519Keys.SignatureBytes || seq is null or < 0)
            throw new KrpcError(KrpcWriter.ProtocolError, "invalid mutable item");
        var salt = a.GetString("salt")?.Bytes.ToArray() ?? [];
        if (salt.Length > DhtItems.MaxSaltBytes) throw new KrpcError(KrpcWriter.SaltTooBig, "salt too big");
        if (!DhtItems.VerifyMutableItem(value, salt, seq.Value, k.Bytes.Span, sig.Bytes.Span))
            throw new KrpcError(KrpcWriter.InvalidSignature, "invalid signature");
        var mtarget = DhtItems.MutableTarget(k.Bytes.Span, salt);
        var existing = _items.Get(mtarget);
        if (existing is not null)
        {
            if (a.GetInteger("cas") is { } cas && cas != existing.Seq) throw new KrpcError(KrpcWriter.CasMismatch, "CAS mismatch");
            if (seq < existing.Seq) throw new KrpcError(KrpcWriter.SeqTooLow, "sequence number less than current");
            if (seq == existing.Seq)
            {
                if (!existing.Value.AsSpan().SequenceEqual(value)) throw new KrpcError(KrpcWriter.SeqTooLow, "sequence number less than current");
                existing.LastPut = now;
                return new BDict();
            }
        }
        _items.Put(mtarget, new StoredItem
        {
            Value = value, PublicKey = k.Bytes.ToArray(), Signature = sig.Bytes.ToArray(), Salt = salt, Seq = seq.Value, LastPut = now,
        });
        return new BDict();
    }
}
