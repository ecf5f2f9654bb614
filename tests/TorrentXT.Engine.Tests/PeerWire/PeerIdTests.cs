// SPDX-License-Identifier: MIT
using System.Reflection;
using System.Text;
using TorrentXT.Engine.PeerWire;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>Our peer id (BEP 20) and libtorrent 2.0.8's identify_client, reproduced.</summary>
public class PeerIdTests
{
    [Fact]
    public void Prefix_encodes_our_version_the_way_libtorrent_does()
    {
        Assert.Equal("-TX0100-", PeerId.Prefix);
        Assert.Equal(PeerId.Prefix, PeerId.Fingerprint(PeerId.ClientCode, PeerId.VersionMajor, PeerId.VersionMinor, PeerId.VersionRevision, PeerId.VersionTag));
        // The constant must follow the assembly version (Directory.Build.props); a version bump without it fails here.
        var v = typeof(PeerId).Assembly.GetName().Version!;
        Assert.Equal((v.Major, v.Minor, v.Build), (PeerId.VersionMajor, PeerId.VersionMinor, PeerId.VersionRevision));
    }

    [Fact]
    public void Fingerprint_digits_follow_libtorrent_generate_fingerprint()
    {
        // lt.generate_fingerprint('LT', 2, 0, 8, 0) == '-LT2080-'; 10 and up are letters from 'A'.
        Assert.Equal("-LT2080-", PeerId.Fingerprint("LT", 2, 0, 8, 0));
        Assert.Equal("-qB4A0Z-", PeerId.Fingerprint("qB", 4, 10, 0, 35));
        Assert.Throws<ArgumentOutOfRangeException>(() => PeerId.Fingerprint("TX", 36, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => PeerId.Fingerprint("T", 0, 0, 0, 0));
    }

    [Fact]
    public void Generated_ids_have_the_prefix_and_a_url_safe_random_tail()
    {
        var a = PeerId.Generate(new Random(1));
        var b = PeerId.Generate(new Random(1));
        var c = PeerId.Generate();
        Assert.Equal(a, b); // deterministic given the randomness
        Assert.NotEqual(a, PeerId.Generate(new Random(2)));
        foreach (var id in new[] { a, c })
        {
            Assert.Equal(20, id.Length);
            Assert.Equal(PeerId.Prefix, Encoding.ASCII.GetString(id, 0, 8));
            Assert.All(id.Skip(8), ch => Assert.True(char.IsAsciiLetterOrDigit((char)ch) || ch is (byte)'-' or (byte)'_'));
        }
    }

    [Fact]
    public void Our_id_reads_as_TorrentXT()
    {
        Assert.Equal("TorrentXT 0.1.0", ClientIdentity.Identify(PeerId.Generate(new Random(5))));
        // libtorrent would say "TX 0.1.0"; the only entry we add to its table.
        Assert.Equal("TorrentXT 0.0.1", ClientIdentity.Identify("-TX0010-xxxxxxxxxxxx"u8));
    }

    [Fact]
    public void Identify_wants_20_bytes()
    {
        Assert.Throws<ArgumentException>(() => ClientIdentity.Identify(new byte[19]));
    }

    [Fact]
    public void Non_utf8_bytes_in_a_name_become_replacement_characters()
    {
        // libtorrent returns the raw byte 0x80 ("-L\x80" is an unknown Azureus code); a .NET string cannot.
        var id = Convert.FromHexString("2d4c80303030302d787878787878787878787878");
        Assert.Equal("L\uFFFD 0.0.0", ClientIdentity.Identify(id));
    }

    /// <summary>Expected values printed by python3-libtorrent 2.0.8's lt.identify_client for each id.</summary>
    [Theory]
        [InlineData("2d4c54323038302d787878787878787878787878", "libtorrent 2.0.8")]
        [InlineData("2d7142343635302d787878787878787878787878", "qBittorrent 4.6.5")]
        [InlineData("2d5452333030302d787878787878787878787878", "Transmission 3.0.0")]
        [InlineData("2d5452323934302d787878787878787878787878", "Transmission 2.9.4")]
        [InlineData("2d54523330305a2d787878787878787878787878", "Transmission 3.0.0.35")]
        [InlineData("41322d312d33362d302d78787878787878787878", "ABC 2.1.36")]
        [InlineData("4d372d322d302d2d787878787878787878787878", "Mainline 7.2.0")]
        [InlineData("4d342d32302d382d787878787878787878787878", "Mainline 4.20.8")]
        [InlineData("533538422d2d2d2d2d7878787878787878787878", "Shadow 5.8.11")]
        [InlineData("543033492d2d7878787878787878787878787878", "BitTornado 0.3.18")]
        [InlineData("2d5554333535302d787878787878787878787878", "uTorrent 3.5.5")]
        [InlineData("2d4445313346302d787878787878787878787878", "Deluge 1.3.15")]
        [InlineData("2d415a353737302d787878787878787878787878", "Azureus 5.7.7")]
        [InlineData("2d6c74304438302d787878787878787878787878", "rTorrent 0.13.8")]
        [InlineData("2d4243303230302d787878787878787878787878", "BitComet 0.2.0")]
        [InlineData("2d5858313233342d787878787878787878787878", "Xtorrent 1.2.3.4")]
        [InlineData("2d4b54323242312d787878787878787878787878", "KTorrent 2.2.11.1")]
        [InlineData("2d7142343141302d787878787878787878787878", "qBittorrent 4.1.10")]
        [InlineData("2d4c54616263642d787878787878787878787878", "libtorrent 42.43.44.45")]
        [InlineData("2d4249313030302d787878787878787878787878", "BiglyBT 1.0.0")]
        [InlineData("2d417a313233342d787878787878787878787878", "Az 1.2.3.4")]
        [InlineData("2d415a313261342d787878787878787878787878", "Azureus 1.2.42.4")]
        [InlineData("2d2031323334352d787878787878787878787878", " 1 2.3.4.5")]
        [InlineData("2d417e303030302d787878787878787878787878", "Ares 0.0.0")]
        [InlineData("2d5350333630352d787878787878787878787878", "BitSpirit 3.6")]
        [InlineData("2d4647313030302d787878787878787878787878", "FlashGet")]
        [InlineData("2d424f573132332d787878787878787878787878", "Bits on Wheels 123")]
        [InlineData("6578626300007878787878787878787878787878", "BitComet")]
        [InlineData("4f50313031317878787878787878787878787878", "Opera")]
        [InlineData("584254303534352d787878787878787878787878", "XBT")]
        [InlineData("415a323530304254787878787878787878787878", "BitTyrant")]
        [InlineData("3132333435417a75726575737878787878787878", "Azureus 2.0.3.2")]
        [InlineData("31323334627466616e7378787878787878787878", "SimpleBT")]
        [InlineData("3132425378787878787878787878787878787878", "BitSpirit")]
        [InlineData("3132525378787878787878787878787878787878", "Rufus")]
        [InlineData("5430302d2d2d3078787878787878787878787878", "Teeweety")]
        [InlineData("506c75732d2d2d78787878787878787878787878", "Bittorrent Plus")]
        [InlineData("506c757331327878787878787878787878787878", "Plus!")]
        [InlineData("627470642f302e31787878787878787878787878", "BitTorrent Protocol Daemon")]
        [InlineData("5449583031393378787878787878787878787878", "Tixati")]
        [InlineData("51312d32332d342d787878787878787878787878", "BTQueue 1.23.4")]
        [InlineData("4f3132332d2d2d2d787878787878787878787878", "Osprey Permaseed 1.2.3")]
        [InlineData("413331302d2d2d2d787878787878787878787878", "ABC 3.1.0")]
        [InlineData("5233342d2d2d2d2d787878787878787878787878", "Unknown [R34-----xxxxxxxxxxxx]")]
        [InlineData("313233342d2d7878787878787878787878787878", "1 2.3.4")]
        [InlineData("5a3a3b3c2d2d7878787878787878787878787878", "Z 3.4.5")]
        [InlineData("5305010278787878007878787878787878787878", "Shadow 5.1.2")]
        [InlineData("5385010278787878007878787878787878787878", "Unknown [S...xxxx.xxxxxxxxxxx]")]
        [InlineData("4d2d312d322d332d2d7878787878787878787878", "Mainline -1.2.3")]
        [InlineData("4d2031322d202b332d2020342d2d787878787878", "Mainline 12.3.4")]
        [InlineData("4d313233342d352d362d2d787878787878787878", "Unknown [M1234-5-6--xxxxxxxxx]")]
        [InlineData("4d312d322d330078787878787878787878787878", "Mainline 1.2.3")]
        [InlineData("4d352d2d362d3778787878787878787878787878", "Mainline 5.-6.7")]
        [InlineData("4d303030352d362d377878787878787878787878", "Unknown [M0005-6-7xxxxxxxxxxx]")]
        [InlineData("4d2b2d352d367878787878787878787878787878", "Unknown [M+-5-6xxxxxxxxxxxxxx]")]
        [InlineData("6d312d322d332d2d787878787878787878787878", "m 1.2.3")]
        [InlineData("4d78352d362d3778787878787878787878787878", "Unknown [Mx5-6-7xxxxxxxxxxxxx]")]
        [InlineData("65586162636465666768696a6b6c6d6e78787878", "eXeem ('abcdefghijkl')")]
        [InlineData("2d415a312f33342d787878787878787878787878", "Unknown [-AZ1/34-xxxxxxxxxxxx]")]
        [InlineData("2d7f31323334352d787878787878787878787878", "Unknown [-.12345-xxxxxxxxxxxx]")]
        [InlineData("0102787878787878787878787878787878787878", "Unknown [..xxxxxxxxxxxxxxxxxx]")]
        [InlineData("0000000000000000000000000000000000000000", "Unknown")]
        [InlineData("0000000000000000000000009701010101010101", "Experimental 3.2.1b2")]
        [InlineData("0000000000000000000000000001010101010101", "Experimental 3.1")]
        [InlineData("0000000000000000000000000101010101010101", "Generic")]
    public void Names_match_libtorrent_2_0_8(string idHex, string expected)
    {
        Assert.Equal(expected, ClientIdentity.Identify(Convert.FromHexString(idHex)));
    }
}
