// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Dht.Krpc;

namespace TorrentXT.Engine.Dht;

/// <summary>A mutable item as found or stored (value is bencoded).</summary>
public sealed record MutableItem(byte[] Value, byte[] PublicKey, byte[] Signature, long Seq, byte[] Salt);

/// <summary>BEP 44 client operations: get and put of immutable and mutable items.</summary>
public sealed partial class DhtNode
{
    /// <summary>Looks an immutable item up; <paramref name="done"/> gets its bencoded value (verified against the target) or null.</summary>
    public void GetImmutable(byte[] target, Action<byte[]?> done)
    {
        _dispatcher.Post(() =>
        {
            byte[]? found = null;
            Lookup? lookup = null;
            lookup = StartLookup(target, "get", null, (_, _) => done(found), onReply: (c, reply) =>
            {
                if (reply.Body!.GetString("token") is { } t && t.Bytes.Length <= 64) c.Token = t.Bytes.ToArray();
                if (found is not null || reply.Body.Get("v") is not { } v) return;
                // Only a value that hashes to the target is believed.
                if (!DhtItems.ImmutableTargetOfBencoded(v.Raw.Span).AsSpan().SequenceEqual(target)) return;
                found = v.Raw.ToArray();
                lookup?.ShortCircuit(); // found: no need to go on
            });
        });
    }

    /// <summary>Stores an immutable item (its bencoded value) at the nodes closest to its target; <paramref name="done"/> gets how many accepted.</summary>
    public void PutImmutable(byte[] bencodedValue, Action<int> done)
    {
        var target = DhtItems.ImmutableTargetOfBencoded(bencodedValue);
        _dispatcher.Post(() => StartLookup(target, "get", null, (l, _) =>
            PutToClosest(l, () => new BDict { ["v"] = new BRaw(bencodedValue) }, done), onReply: KeepToken));
    }

    /// <summary>
    /// Looks a mutable item up. <paramref name="onItem"/> is called with each newer verified item
    /// (authoritative false) and once at the end with the best one, or null (authoritative true).
    /// </summary>
    public void GetMutable(byte[] publicKey, byte[] salt, Action<MutableItem?, bool> onItem)
    {
        _dispatcher.Post(() =>
        {
            MutableItem? best = null;
            StartLookup(DhtItems.MutableTarget(publicKey, salt), "get", null, (_, _) => onItem(best, true), onReply: (c, reply) =>
            {
                KeepToken(c, reply);
                if (ReadMutable(reply.Body!, publicKey, salt) is { } item && (best is null || item.Seq > best.Seq))
                {
                    best = item;
                    onItem(item, false);
                }
            });
        });
    }

    /// <summary>
    /// Puts a mutable item as libtorrent does (§7): look up the current one, then sign
    /// <paramref name="rawValue"/> as a bencoded string with seq one past the highest seen and store
    /// it at the closest nodes. <paramref name="done"/> gets the number that accepted and the item put.
    /// </summary>
    public void PutMutable(byte[] publicKey, byte[] expandedSecretKey, byte[] salt, byte[] rawValue, Action<int, MutableItem> done)
    {
        _dispatcher.Post(() =>
        {
            long highest = 0;
            StartLookup(DhtItems.MutableTarget(publicKey, salt), "get", null, (l, _) =>
            {
                long seq = highest + 1;
                var value = DhtItems.EncodeStringValue(rawValue);
                var sig = DhtItems.SignMutableItem(value, salt, seq, publicKey, expandedSecretKey);
                var item = new MutableItem(value, publicKey, sig, seq, salt);
                PutToClosest(l, () =>
                {
                    var a = new BDict { ["k"] = publicKey, ["seq"] = seq, ["sig"] = sig, ["v"] = new BRaw(value) };
                    if (salt.Length > 0) a["salt"] = salt;
                    return a;
                }, n => done(n, item));
            }, onReply: (c, reply) =>
            {
                KeepToken(c, reply);
                if (ReadMutable(reply.Body!, publicKey, salt) is { } item && item.Seq > highest) highest = item.Seq;
            });
        });
    }

    private static void KeepToken(Lookup.Candidate c, KrpcMessage reply)
    {
        if (reply.Body!.GetString("token") is { } t && t.Bytes.Length <= 64) c.Token = t.Bytes.ToArray();
    }

    /// <summary>A mutable item in a get reply, only if its key matches and its signature verifies.</summary>
    private static MutableItem? ReadMutable(BValue body, byte[] publicKey, byte[] salt)
    {
        if (body.Get("v") is not { } v || body.GetString("k") is not { } k || body.GetString("sig") is not { } sig || body.GetInteger("seq") is not { } seq)
            return null;
        if (seq < 0 || v.Raw.Length > DhtItems.MaxValueBencodedBytes || !k.Bytes.Span.SequenceEqual(publicKey) || sig.Bytes.Length != Ed25519Keys.SignatureBytes)
            return null;
        if (!DhtItems.VerifyMutableItem(v.Raw.Span, salt, seq, publicKey, sig.Bytes.Span)) return null;
        return new MutableItem(v.Raw.ToArray(), publicKey, sig.Bytes.ToArray(), seq, salt);
    }

    /// <summary>Sends a put to the K closest nodes that gave a token; reports the successes once all have answered or timed out.</summary>
    private void PutToClosest(Lookup l, Func<BDict> args, Action<int> done)
    {
        if (_config.ReadOnly) { done(0); return; }
        var targets = l.ClosestResponders(RoutingTable.K).Where(c => c.Token is not null).ToList();
        int outstanding = 0, success = 0;
        bool finished = false;
        void Answered(KrpcMessage? reply)
        {
            if (reply is { Kind: KrpcKind.Response }) success++;
            if (--outstanding == 0 && !finished) { finished = true; done(success); }
        }
        foreach (var c in targets)
        {
            var a = args();
            a["token"] = c.Token!;
            outstanding++;
            if (!SendQuery(c.EndPoint, c.Id, "put", a, null, null, Answered)) outstanding--;
        }
        if (outstanding == 0 && !finished) { finished = true; done(0); }
    }
}
