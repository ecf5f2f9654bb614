// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using System.Text;
using TorrentXT.Engine.PeerWire;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>BEP 11 ut_pex and the compact endpoint forms it shares with trackers and the DHT.</summary>
public class PexMessageTests
{
    private static IPEndPoint E(string text) => IPEndPoint.Parse(text);
    private static byte[] B(string latin1) => Encoding.Latin1.GetBytes(latin1);

    [Fact]
    public void Compact_endpoints_are_6_or_18_bytes()
    {
        var buf = new byte[18];
        Assert.Equal(6, CompactEndpoints.Write(buf, E("10.0.0.1:6881")));
        Assert.Equal("0a0000011ae1", Convert.ToHexStringLower(buf.AsSpan(0, 6)));
        Assert.Equal(E("10.0.0.1:6881"), CompactEndpoints.Read(buf.AsSpan(0, 6)));
        Assert.Equal(6, CompactEndpoints.Write(buf, E("[::ffff:10.0.0.1]:6881"))); // mapped IPv4 is IPv4
        Assert.Equal(18, CompactEndpoints.Write(buf, E("[fd00::1]:51413")));
        Assert.Equal("fd000000000000000000000000000001c8d5", Convert.ToHexStringLower(buf));
        Assert.Equal(E("[fd00::1]:51413"), CompactEndpoints.Read(buf));
        Assert.Throws<ArgumentException>(() => CompactEndpoints.Read(new byte[7]));
        Assert.Throws<ArgumentException>(() => CompactEndpoints.Write(new byte[5], E("10.0.0.1:1")));

        var list = new List<IPEndPoint>();
        Assert.True(CompactEndpoints.TryReadList(Convert.FromHexString("0a0000011ae10a0000020001"), AddressFamily.InterNetwork, 2, list));
        Assert.Equal([E("10.0.0.1:6881"), E("10.0.0.2:1")], list);
        Assert.False(CompactEndpoints.TryReadList(new byte[12], AddressFamily.InterNetwork, 1, list)); // too many
        Assert.False(CompactEndpoints.TryReadList(new byte[13], AddressFamily.InterNetwork, 9, list)); // ragged
        Assert.False(CompactEndpoints.TryReadList(new byte[12], AddressFamily.InterNetworkV6, 9, list));
        Assert.Equal(2, list.Count);
    }

    private static PexMessage Sample()
    {
        var m = new PexMessage();
        m.Added.Add(new(E("10.0.0.1:6881"), PexFlags.Seed | PexFlags.Reachable));
        m.Added.Add(new(E("[fd00::1]:51413"), PexFlags.SupportsUtp));
        m.Dropped.Add(E("10.0.0.2:1"));
        return m;
    }

    [Fact]
    public void Encoding_is_byte_exact_with_all_six_keys()
    {
        string v6 = Encoding.Latin1.GetString(Convert.FromHexString("fd000000000000000000000000000001c8d5"));
        string expected = "d5:added6:\x0a\x00\x00\x01\x1a\xe1" + "7:added.f1:\x12" + "6:added618:" + v6 + "8:added6.f1:\x04"
            + "7:dropped6:\x0a\x00\x00\x02\x00\x01" + "8:dropped60:e";
        Assert.Equal(B(expected), Sample().Encode());
    }

    [Fact]
    public void Round_trip()
    {
        var m = PexMessage.Decode(Sample().Encode());
        Assert.Equal(Sample().Added, m.Added);
        Assert.Equal(Sample().Dropped, m.Dropped);
    }

    [Fact]
    public void Missing_keys_and_mismatched_flags_are_tolerated()
    {
        var m = PexMessage.Decode(B("d5:added12:\x0a\x00\x00\x01\x1a\xe1\x0a\x00\x00\x03\x00\x50" + "7:added.f1:\x02" + "1:xi1ee"));
        Assert.Equal([new PexPeer(E("10.0.0.1:6881"), PexFlags.None), new PexPeer(E("10.0.0.3:80"), PexFlags.None)], m.Added);
        Assert.Empty(m.Dropped);
        Assert.Empty(PexMessage.Decode("de"u8).Added);
    }

    [Theory]
    [InlineData("le")]
    [InlineData("d5:addedi1ee")] // not a string
    [InlineData("d5:added5:12345e")] // ragged
    [InlineData("d6:added66:123456e")]
    [InlineData("d7:dropped7:1234567e")]
    [InlineData("d8:dropped617:12345678901234567e")]
    [InlineData("d7:added.fi1ee")]
    [InlineData("d5:added")]
    public void Malformed_messages_are_typed_errors(string text)
    {
        var e = Assert.Throws<PeerWireException>(() => PexMessage.Decode(B(text)));
        Assert.Equal(PeerWireError.InvalidPexMessage, e.Error);
    }

    [Fact]
    public void Counts_are_bounded()
    {
        var fifty = new PexMessage();
        for (int i = 0; i < 50; i++) fifty.Added.Add(new(new IPEndPoint(IPAddress.Parse($"10.0.1.{i}"), 1000 + i), PexFlags.None));
        var decoded = PexMessage.Decode(fifty.Encode(), maxPeersPerKey: 50);
        Assert.Equal(50, decoded.Added.Count);
        Assert.Throws<PeerWireException>(() => PexMessage.Decode(fifty.Encode(), maxPeersPerKey: 49));

        fifty.Added.Add(new(E("10.0.2.1:1"), PexFlags.None));
        Assert.Throws<ArgumentException>(() => fifty.Encode());

        var big = "d5:added" + (6 * 201) + ":" + new string('\x01', 6 * 201) + "e";
        Assert.Throws<PeerWireException>(() => PexMessage.Decode(B(big)));
    }
}
