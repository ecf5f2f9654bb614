// SPDX-License-Identifier: MIT
using System.Net;
using System.Text;
using TorrentXT.Engine.PeerWire;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>BEP 10 extension handshake: sorted-key encoding, lenient about unknown keys, strict about known ones.</summary>
public class ExtensionHandshakeTests
{
    private static byte[] B(string latin1) => Encoding.Latin1.GetBytes(latin1);

    private static ExtensionHandshake Full()
    {
        var hs = new ExtensionHandshake
        {
            ClientName = "TorrentXT 0.1.0",
            ListenPort = 6881,
            RequestQueue = 500,
            MetadataSize = 1376,
            YourIp = IPAddress.Parse("127.0.0.1"),
            Ipv4 = IPAddress.Parse("10.0.0.1"),
            Ipv6 = IPAddress.Parse("fd00::1"),
            UploadOnly = true,
            CompleteAgo = 10,
        };
        hs.Messages["ut_pex"] = 1;
        hs.Messages["ut_metadata"] = 3;
        return hs;
    }

    [Fact]
    public void Encoding_sorts_keys_and_is_byte_exact()
    {
        string v6 = Encoding.Latin1.GetString(IPAddress.Parse("fd00::1").GetAddressBytes());
        string expected = "d12:complete_agoi10e4:ipv44:\x0a\x00\x00\x01" + "4:ipv616:" + v6
            + "1:md11:ut_metadatai3e6:ut_pexi1ee13:metadata_sizei1376e1:pi6881e4:reqqi500e"
            + "11:upload_onlyi1e1:v15:TorrentXT 0.1.06:yourip4:\x7f\x00\x00\x01" + "e";
        Assert.Equal(B(expected), Full().Encode());
    }

    [Fact]
    public void Empty_handshake_is_an_empty_dictionary()
    {
        Assert.Equal("de"u8.ToArray(), new ExtensionHandshake().Encode());
        var hs = ExtensionHandshake.Decode("de"u8);
        Assert.Empty(hs.Messages);
        Assert.Null(hs.ClientName);
        Assert.Null(hs.ListenPort);
        Assert.Null(hs.MetadataSize);
        Assert.Null(hs.UploadOnly);
    }

    [Fact]
    public void Round_trip()
    {
        var hs = ExtensionHandshake.Decode(Full().Encode());
        Assert.Equal(3, hs.IdOf("ut_metadata"));
        Assert.Equal(1, hs.IdOf("ut_pex"));
        Assert.Equal(0, hs.IdOf("lt_donthave"));
        Assert.Equal("TorrentXT 0.1.0", hs.ClientName);
        Assert.Equal(6881, hs.ListenPort);
        Assert.Equal(500, hs.RequestQueue);
        Assert.Equal(1376, hs.MetadataSize);
        Assert.Equal(IPAddress.Loopback, hs.YourIp);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), hs.Ipv4);
        Assert.Equal(IPAddress.Parse("fd00::1"), hs.Ipv6);
        Assert.True(hs.UploadOnly);
        Assert.Equal(10, hs.CompleteAgo);
    }

    [Fact]
    public void A_mapped_IPv4_yourip_is_sent_in_4_bytes()
    {
        var hs = new ExtensionHandshake { YourIp = IPAddress.Parse("::ffff:192.168.1.2") };
        Assert.Equal(B("d6:yourip4:\xc0\xa8\x01\x02" + "e"), hs.Encode());
        var v6 = new ExtensionHandshake { YourIp = IPAddress.Parse("2001:db8::1") };
        Assert.Equal(IPAddress.Parse("2001:db8::1"), ExtensionHandshake.Decode(v6.Encode()).YourIp);
    }

    [Fact]
    public void Unknown_keys_and_disabled_extensions_are_accepted()
    {
        var hs = ExtensionHandshake.Decode("d1:ei1e4:i2p!d1:ali1eee1:md11:lt_donthavei0e6:ut_pexi2ee1:v4:abcd2:zzli1ei2eee"u8);
        Assert.Equal(2, hs.IdOf("ut_pex"));
        Assert.Equal(0, hs.IdOf("lt_donthave")); // 0 = the sender disabled it
        Assert.True(hs.Messages.ContainsKey("lt_donthave"));
        Assert.Equal("abcd", hs.ClientName);
        Assert.Null(hs.UploadOnly);
    }

    [Fact]
    public void Upload_only_is_any_nonzero_integer()
    {
        Assert.True(ExtensionHandshake.Decode("d11:upload_onlyi2ee"u8).UploadOnly);
        Assert.False(ExtensionHandshake.Decode("d11:upload_onlyi0ee"u8).UploadOnly);
    }

    [Theory]
    [InlineData("i1e")] // not a dictionary
    [InlineData("le")]
    [InlineData("")]
    [InlineData("d1:m")] // truncated
    [InlineData("d1:mi1ee")] // m not a dictionary
    [InlineData("d1:md1:x1:aee")] // id not an integer
    [InlineData("d1:md1:xi256eee")] // id above 255
    [InlineData("d1:md1:xi-1eee")]
    [InlineData("d1:md0:i1eee")] // empty name
    [InlineData("d1:p4:6881e")] // port as a string
    [InlineData("d1:pi65536ee")]
    [InlineData("d1:pi-1ee")]
    [InlineData("d1:vi1ee")] // client name as an integer
    [InlineData("d4:reqq3:500e")]
    [InlineData("d4:reqqi-1ee")]
    [InlineData("d13:metadata_sizei-1ee")]
    [InlineData("d13:metadata_size4:1376e")]
    [InlineData("d6:yourip5:abcdee")] // 5-byte address
    [InlineData("d6:youripi1ee")]
    [InlineData("d4:ipv416:0123456789abcdefe")]
    [InlineData("d4:ipv64:abcde")]
    [InlineData("d11:upload_only1:1e")]
    [InlineData("d12:complete_ago1:1e")]
    public void Known_keys_with_wrong_types_or_sizes_are_typed_errors(string text)
    {
        var e = Assert.Throws<PeerWireException>(() => ExtensionHandshake.Decode(Encoding.Latin1.GetBytes(text)));
        Assert.Equal(PeerWireError.InvalidExtensionHandshake, e.Error);
    }

    [Fact]
    public void Sizes_are_bounded()
    {
        string longName = "d1:v257:" + new string('a', 257) + "e";
        Assert.Throws<PeerWireException>(() => ExtensionHandshake.Decode(Encoding.ASCII.GetBytes(longName)));
        string okName = "d1:v256:" + new string('a', 256) + "e";
        Assert.Equal(256, ExtensionHandshake.Decode(Encoding.ASCII.GetBytes(okName)).ClientName!.Length);

        var many = new StringBuilder("d1:md");
        for (int i = 0; i < 129; i++) many.Append($"4:x{i:d3}i1e");
        many.Append("ee");
        Assert.Throws<PeerWireException>(() => ExtensionHandshake.Decode(Encoding.ASCII.GetBytes(many.ToString())));

        string deep = "d1:x" + new string('l', 50) + new string('e', 50) + "e";
        Assert.Throws<PeerWireException>(() => ExtensionHandshake.Decode(Encoding.ASCII.GetBytes(deep)));
    }
}
