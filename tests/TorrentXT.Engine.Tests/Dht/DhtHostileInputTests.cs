// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using System.Text;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Dht;
using TorrentXT.Engine.Dht.Krpc;
using Xunit;

namespace TorrentXT.Engine.Tests.Dht;

/// <summary>Malformed KRPC, oversized values, bad signatures, forged tokens and floods: dropped or refused, never a crash, memory bounded.</summary>
public class DhtHostileInputTests
{
    private static readonly byte[] Id20 = Enumerable.Repeat((byte)7, 20).ToArray();

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("le")]
    [InlineData("d1:t2:aa1:y1:qe")]                                 // no q, no a
    [InlineData("d1:ade1:q4:ping1:t2:aa1:y1:qe")]                    // no id
    [InlineData("d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe")]           // short id
    [InlineData("d1:rd2:id20:aaaaaaaaaaaaaaaaaaaae1:t2:aa1:y1:re")]  // unsolicited response
    [InlineData("d1:t2:aa1:y1:xe")]
    [InlineData("d1:t0:1:y1:qe")]                                   // empty transaction id
    [InlineData("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaae1:q4:ping1:t2:aa1:y1:q")] // truncated
    public void Malformed_packets_are_parsed_strictly(string text)
    {
        Assert.False(KrpcMessage.TryParse(Encoding.ASCII.GetBytes(text), out var msg, out _, out _) && msg!.Kind == KrpcKind.Query && text.Contains("3:abc"));
        // And a node fed them stays healthy.
        using var one = new DhtTestNet(1);
        var node = one.Nodes[0];
        one.Dispatcher.Invoke(() => { node.Receive(Encoding.ASCII.GetBytes(text), new IPEndPoint(IPAddress.Parse("192.0.2.9"), 9)); return 0; }, 0);
        Assert.Equal(0, node.Table.LiveCount);
    }

    [Fact]
    public void Deep_nesting_and_oversized_packets_are_dropped()
    {
        var deep = Encoding.ASCII.GetBytes("d1:a" + new string('l', 500) + new string('e', 500) + "e");
        Assert.False(KrpcMessage.TryParse(deep, out _, out _, out _));
        Assert.False(KrpcMessage.TryParse(new byte[KrpcMessage.MaxPacket + 1], out _, out _, out _));
    }

    /// <summary>A raw client socket talking KRPC to one node.</summary>
    private sealed class Raw : IDisposable
    {
        private readonly Socket _s = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        public Raw() { _s.Bind(new IPEndPoint(IPAddress.Loopback, 0)); _s.ReceiveTimeout = 2000; }
        public BValue? Ask(IPEndPoint to, string method, BDict args, string tid = "zz")
        {
            args["id"] = Id20;
            var buf = new byte[2048];
            for (int attempt = 0; attempt < 3; attempt++) // UDP on a busy machine: retry, bounded
            {
                _s.SendTo(KrpcWriter.Query(Encoding.ASCII.GetBytes(tid), method, args, false), to);
                try
                {
                    // Skip the node's own queries (it pings us to confirm us) until our reply comes.
                    for (int skip = 0; skip < 4; skip++)
                    {
                        int n = _s.Receive(buf);
                        var msg = BencodeReader.Decode(buf.AsMemory(0, n));
                        if (msg.GetString("y")?.Text != "q") return msg;
                    }
                }
                catch (SocketException) { }
            }
            return null;
        }
        public void Send(IPEndPoint to, byte[] packet) => _s.SendTo(packet, to);
        public void Dispose() => _s.Dispose();
    }

    private static int ErrorCode(BValue? reply) => reply?.GetList("e") is { } e ? (int)e.Items[0].Integer : 0;

    [Fact]
    public void Forged_tokens_bad_signatures_and_oversized_values_are_refused()
    {
        using var one = new DhtTestNet(1);
        var node = one.Nodes[0].LocalEndPoint;
        using var raw = new Raw();
        Assert.Equal(203, ErrorCode(raw.Ask(node, "announce_peer", new BDict { ["info_hash"] = Id20, ["port"] = 1234, ["token"] = "forged!!" })));
        var get = raw.Ask(node, "get", new BDict { ["target"] = Id20 })!;
        var token = get.GetDictionary("r")!.GetString("token")!.Bytes.ToArray();
        // A valid token works for announce_peer ...
        var ok = raw.Ask(node, "announce_peer", new BDict { ["info_hash"] = Id20, ["port"] = 1234, ["token"] = token });
        Assert.True(ok?.GetString("y")?.Text == "r", ok is null ? "no reply" : Encoding.ASCII.GetString(ok.Raw.Span));
        // ... but not from another address (tokens are bound to the IP).
        Assert.False(new WriteTokens().Valid(token, IPAddress.Loopback));
        // Oversized value.
        var big = DhtItems.EncodeStringValue(new byte[1200]);
        Assert.Equal(205, ErrorCode(raw.Ask(node, "put", new BDict { ["token"] = token, ["v"] = new BRaw(big) })));
        // Bad signature.
        var keys = Ed25519Keys.Generate();
        var v = DhtItems.EncodeStringValue("x"u8);
        var sig = DhtItems.SignMutableItem(v, [], 1, keys.PublicKey, keys.SecretKey);
        sig[5] ^= 1;
        Assert.Equal(206, ErrorCode(raw.Ask(node, "put", new BDict { ["token"] = token, ["v"] = new BRaw(v), ["k"] = keys.PublicKey, ["sig"] = sig, ["seq"] = 1 })));
        // Salt too big.
        Assert.Equal(207, ErrorCode(raw.Ask(node, "put", new BDict { ["token"] = token, ["v"] = new BRaw(v), ["k"] = keys.PublicKey, ["sig"] = sig, ["seq"] = 1, ["salt"] = new byte[65] })));
        // A good item, then a lower seq and a CAS mismatch.
        var sig2 = DhtItems.SignMutableItem(v, [], 2, keys.PublicKey, keys.SecretKey);
        Assert.Equal(0, ErrorCode(raw.Ask(node, "put", new BDict { ["token"] = token, ["v"] = new BRaw(v), ["k"] = keys.PublicKey, ["sig"] = sig2, ["seq"] = 2 })));
        var sig1 = DhtItems.SignMutableItem(v, [], 1, keys.PublicKey, keys.SecretKey);
        Assert.Equal(302, ErrorCode(raw.Ask(node, "put", new BDict { ["token"] = token, ["v"] = new BRaw(v), ["k"] = keys.PublicKey, ["sig"] = sig1, ["seq"] = 1 })));
        var sig3 = DhtItems.SignMutableItem(v, [], 3, keys.PublicKey, keys.SecretKey);
        Assert.Equal(301, ErrorCode(raw.Ask(node, "put", new BDict { ["token"] = token, ["v"] = new BRaw(v), ["k"] = keys.PublicKey, ["sig"] = sig3, ["seq"] = 3, ["cas"] = 1 })));
        Assert.Equal(0, ErrorCode(raw.Ask(node, "put", new BDict { ["token"] = token, ["v"] = new BRaw(v), ["k"] = keys.PublicKey, ["sig"] = sig3, ["seq"] = 3, ["cas"] = 2 })));
        // Unknown method.
        Assert.Equal(204, ErrorCode(raw.Ask(node, "frobnicate", new BDict())));
    }

    [Fact]
    public void Token_survives_one_rotation_not_two()
    {
        var tokens = new WriteTokens();
        var t = tokens.Make(IPAddress.Loopback);
        Assert.True(tokens.Valid(t, IPAddress.Loopback));
        Assert.False(tokens.Valid(t, IPAddress.Parse("10.0.0.1")));
        tokens.Rotate();
        Assert.True(tokens.Valid(t, IPAddress.Loopback));
        tokens.Rotate();
        Assert.False(tokens.Valid(t, IPAddress.Loopback));
    }

    [Fact]
    public void A_flooding_source_is_blocked_and_memory_stays_bounded()
    {
        using var one = new DhtTestNet(1, _ => { var c = DhtTestNet.LoopbackConfig(); c.BlockRateLimit = 5; c.MaxTorrents = 50; c.MaxPeers = 10; c.MaxItems = 20; return c; });
        var node = one.Nodes[0];
        using var raw = new Raw();
        var token = raw.Ask(node.LocalEndPoint, "get_peers", new BDict { ["info_hash"] = Id20 })!.GetDictionary("r")!.GetString("token")!.Bytes.ToArray();
        // Straight into the node's handler (no UDP loss): 5000 announces for distinct info-hashes from one source.
        // TEST-NET sources (RFC 5737): the node's confirming pings to them go nowhere.
        var from = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 40000);
        int answered = 0;
        one.Dispatcher.Invoke(() =>
        {
            for (int i = 0; i < 5000; i++)
            {
                var a = new BDict { ["id"] = Id20, ["info_hash"] = NodeId.Random(), ["port"] = 1000 + i, ["token"] = token };
                long before = node.DroppedPackets;
                node.Receive(KrpcWriter.Query("aa"u8, "announce_peer", a, false), from);
                if (node.DroppedPackets == before) answered++;
            }
            return 0;
        }, 0);
        Assert.InRange(answered, 1, 10); // the rest were dropped by the flood guard
        // Many sources, each under the rate: the stores stay within their limits.
        one.Dispatcher.Invoke(() =>
        {
            for (int i = 0; i < 3 * 254; i++)
            {
                var src = new IPEndPoint(IPAddress.Parse((i / 254) switch { 0 => "192.0.2.", 1 => "198.51.100.", _ => "203.0.113." } + (1 + i % 254)), 6000);
                var a = new BDict { ["id"] = NodeId.Random(), ["info_hash"] = NodeId.Random(), ["port"] = 1000, ["token"] = new WriteTokensProbe(node).TokenFor(src) };
                node.Receive(KrpcWriter.Query("bb"u8, "announce_peer", a, false), src);
                var v = DhtItems.EncodeStringValue(BitConverter.GetBytes(i));
                node.Receive(KrpcWriter.Query("cc"u8, "put", new BDict { ["id"] = NodeId.Random(), ["token"] = new WriteTokensProbe(node).TokenFor(src), ["v"] = new BRaw(v) }, false), src);
            }
            return 0;
        }, 0);
        Thread.Sleep(5500); // a tick publishes the counters
        Assert.InRange(node.TorrentCount, 1, 50);
        Assert.InRange(node.ItemCount, 1, 20);
        Assert.InRange(node.Table.LiveCount + node.Table.CacheCount, 1, 160 * 16);
    }

    /// <summary>Gets a valid token for an address from the node itself (dispatcher thread).</summary>
    private readonly struct WriteTokensProbe(DhtNode node)
    {
        public byte[] TokenFor(IPEndPoint ep) => node.TokenFor(ep.Address);
    }
}
