// SPDX-License-Identifier: MIT
using TorrentXT.Engine.PeerWire;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>BEP 3 handshake: 19 "BitTorrent protocol", reserved[8], info_hash[20], peer_id[20].</summary>
public class HandshakeTests
{
    private static readonly byte[] InfoHash = Convert.FromHexString("c37acda1891f1ecbde0e62af89ea1dd5430d1532");
    private static readonly byte[] Peer = "-TX0100-abcdefghijkl"u8.ToArray();

    [Fact]
    public void Encoding_is_byte_exact()
    {
        var buf = new byte[Handshake.Length];
        var reserved = PeerReserved.Ours(dht: true, v2: true);
        Assert.Equal(68, Handshake.Write(buf, reserved, InfoHash, Peer));
        string expected = "13" + Convert.ToHexStringLower("BitTorrent protocol"u8)
            + "0000000000100015" // reserved[5] 0x10 (BEP 10), reserved[7] 0x10|0x04|0x01 (v2, fast, DHT)
            + "c37acda1891f1ecbde0e62af89ea1dd5430d1532"
            + Convert.ToHexStringLower(Peer);
        Assert.Equal(expected, Convert.ToHexStringLower(buf));
    }

    [Fact]
    public void Reserved_bits_are_where_the_BEPs_put_them()
    {
        var r = new byte[8];
        r[5] = 0x10;
        Assert.True(PeerReserved.Read(r).SupportsExtensionProtocol);
        Assert.False(PeerReserved.Read(r).SupportsFast);
        r = new byte[8]; r[7] = 0x04;
        Assert.True(PeerReserved.Read(r).SupportsFast);
        r = new byte[8]; r[7] = 0x01;
        Assert.True(PeerReserved.Read(r).SupportsDht);
        r = new byte[8]; r[7] = 0x10;
        Assert.True(PeerReserved.Read(r).SupportsV2);
        Assert.False(PeerReserved.Read(r).SupportsDht);
        var none = PeerReserved.Read(new byte[8]);
        Assert.False(none.SupportsExtensionProtocol || none.SupportsFast || none.SupportsDht || none.SupportsV2);
    }

    [Fact]
    public void Unknown_reserved_bits_survive_a_round_trip()
    {
        var bytes = Convert.FromHexString("8000000000180005"); // azureus messaging bit, LTEP, NAT traversal, fast, DHT
        var r = PeerReserved.Read(bytes);
        var back = new byte[8];
        r.Write(back);
        Assert.Equal(bytes, back);
        Assert.False(r.With(PeerReserved.FastBit, false).SupportsFast);
    }

    [Fact]
    public void Round_trip_and_prefix()
    {
        var buf = new byte[Handshake.Length];
        Handshake.Write(buf, PeerReserved.Ours(false, false), InfoHash, Peer);

        Assert.True(Handshake.TryRead(buf, out var hs, out int needed));
        Assert.Equal(0, needed);
        Assert.True(hs.InfoHash.SequenceEqual(InfoHash));
        Assert.True(hs.PeerId.SequenceEqual(Peer));
        Assert.True(hs.Reserved.SupportsExtensionProtocol && hs.Reserved.SupportsFast && !hs.Reserved.SupportsDht);

        Assert.True(Handshake.TryReadPrefix(buf.AsSpan(0, 48), out var prefix, out needed));
        Assert.True(prefix.InfoHash.SequenceEqual(InfoHash));
        Assert.True(prefix.PeerId.IsEmpty);
        Assert.False(Handshake.TryRead(buf.AsSpan(0, 48), out _, out needed));
        Assert.Equal(20, needed);
    }

    [Fact]
    public void Fed_one_byte_at_a_time_it_asks_for_exactly_what_is_missing()
    {
        var buf = new byte[Handshake.Length];
        Handshake.Write(buf, default, InfoHash, Peer);
        for (int n = 0; n < Handshake.Length; n++)
        {
            Assert.False(Handshake.TryRead(buf.AsSpan(0, n), out _, out int needed));
            Assert.Equal(Handshake.Length - n, needed);
        }
    }

    [Theory]
    [InlineData("14")] // pstrlen 20
    [InlineData("00")]
    [InlineData("13426974546f7272656e742070726f746f636f4c")] // "...protocoL"
    [InlineData("1341")] // 'A' where 'B' belongs: refused at the second byte
    public void Wrong_pstrlen_or_pstr_is_a_typed_error_as_soon_as_it_shows(string hex)
    {
        var e = Assert.Throws<PeerWireException>(() => Handshake.TryRead(Convert.FromHexString(hex), out _, out _));
        Assert.Equal(PeerWireError.InvalidHandshake, e.Error);
    }

    [Fact]
    public void Empty_input_needs_68_bytes()
    {
        Assert.False(Handshake.TryRead([], out _, out int needed));
        Assert.Equal(68, needed);
        Assert.True(Handshake.IsPlausiblePrefix([]));
        Assert.False(Handshake.IsPlausiblePrefix([0x13, 0x42, 0x00]));
    }

    [Fact]
    public void Caller_mistakes_are_argument_errors()
    {
        var buf = new byte[Handshake.Length];
        Assert.Throws<ArgumentException>(() => Handshake.Write(buf, default, new byte[32], Peer));
        Assert.Throws<ArgumentException>(() => Handshake.Write(buf, default, InfoHash, new byte[19]));
        Assert.Throws<ArgumentException>(() => Handshake.Write(new byte[67], default, InfoHash, Peer));
    }
}
