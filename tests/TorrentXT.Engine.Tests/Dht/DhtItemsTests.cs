// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Engine.Dht;
using Xunit;

namespace TorrentXT.Engine.Tests.Dht;

/// <summary>ABI contract §7: BEP 44 targets and the canonical signed message.</summary>
public class DhtItemsTests
{
    [Theory]
    [InlineData("hello world", "6d33adc2b6b2c14c3036feefb7fedbca1a880527")]
    [InlineData("hi", "30730d11d39c6aabf0d45bedbbd6e81677dde0fa")]
    [InlineData("", "b44b82a4bc6c35f6ad5e9fceefef9509c17fba74")]
    public void Immutable_target_is_sha1_of_the_bencoded_string(string value, string targetHex)
    {
        byte[] raw = Encoding.ASCII.GetBytes(value);

        Assert.Equal(targetHex, Convert.ToHexStringLower(DhtItems.ImmutableTarget(raw)));
        Assert.Equal(targetHex, Convert.ToHexStringLower(DhtItems.ImmutableTargetOfBencoded(DhtItems.EncodeStringValue(raw))));
    }

    [Theory]
    [InlineData("", "fd81a6db64d6faf7f702c07971a82c25c1dc3c90")]
    [InlineData("s", "77c26e27695c964bb6db45c0459b253465fd60cd")]
    [InlineData("myapp", "696b4d934dd81be0216e7f0609f6c763958587fd")]
    public void Mutable_target_is_sha1_of_public_key_and_salt(string salt, string targetHex)
    {
        byte[] pk = Convert.FromHexString(Ed25519KeysTests.TestPublicHex);

        Assert.Equal(targetHex, Convert.ToHexStringLower(DhtItems.MutableTarget(pk, Encoding.ASCII.GetBytes(salt))));
    }

    [Fact]
    public void Mutable_target_refuses_a_public_key_that_is_not_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => DhtItems.MutableTarget(new byte[31], []));
    }

    [Theory]
    [InlineData("", "0:")]
    [InlineData("hi", "2:hi")]
    [InlineData("0:", "2:0:")]
    public void EncodeStringValue_writes_length_colon_bytes(string raw, string expected)
    {
        Assert.Equal(expected, Encoding.ASCII.GetString(DhtItems.EncodeStringValue(Encoding.ASCII.GetBytes(raw))));
    }

    [Fact]
    public void EncodeStringValue_of_the_largest_abi_value_is_1005_bytes()
    {
        byte[] raw = new byte[1000];
        Array.Fill(raw, (byte)'x');

        byte[] encoded = DhtItems.EncodeStringValue(raw);

        Assert.Equal(1005, encoded.Length);
        Assert.Equal("1000:xx", Encoding.ASCII.GetString(encoded, 0, 7));
    }

    [Theory]
    [InlineData("", 1L, "2:hi", "3:seqi1e1:v2:hi")]
    [InlineData("s", 1L, "2:hi", "4:salt1:s3:seqi1e1:v2:hi")]
    [InlineData("myapp", 1L, "2:hi", "4:salt5:myapp3:seqi1e1:v2:hi")]
    [InlineData("", 0L, "i42e", "3:seqi0e1:vi42e")]
    [InlineData("", -1L, "5:hello", "3:seqi-1e1:v5:hello")]
    [InlineData("", long.MaxValue, "le", "3:seqi9223372036854775807e1:vle")]
    [InlineData("", long.MinValue, "le", "3:seqi-9223372036854775808e1:vle")]
    [InlineData("salt", 7L, "d1:ai1ee", "4:salt4:salt3:seqi7e1:vd1:ai1ee")]
    public void Mutable_signed_message_is_the_canonical_buffer(string salt, long seq, string bencodedValue, string expected)
    {
        byte[] saltBytes = Encoding.ASCII.GetBytes(salt);
        byte[] value = Encoding.ASCII.GetBytes(bencodedValue);

        byte[] message = DhtItems.MutableSignedMessage(saltBytes, seq, value);

        Assert.Equal(expected, Encoding.ASCII.GetString(message));
        Assert.Equal(message.Length, DhtItems.MutableSignedMessageLength(saltBytes.Length, seq, value.Length));
    }

    [Fact]
    public void WriteMutableSignedMessage_reports_its_length_and_refuses_a_short_buffer()
    {
        Span<byte> buffer = stackalloc byte[64];
        int written = DhtItems.WriteMutableSignedMessage(buffer, "s"u8, 12, "2:hi"u8);

        Assert.Equal("4:salt1:s3:seqi12e1:v2:hi", Encoding.ASCII.GetString(buffer[..written]));

        byte[] tooSmall = new byte[written - 1];
        Assert.Throws<ArgumentException>(() => DhtItems.WriteMutableSignedMessage(tooSmall, "s"u8, 12, "2:hi"u8));
    }

    [Fact]
    public void Limits_are_those_libtorrent_nodes_enforce()
    {
        Assert.Equal(1000, DhtItems.MaxValueBencodedBytes);
        Assert.Equal(64, DhtItems.MaxSaltBytes);
    }

    [Fact]
    public void Within_the_BEP44_limits_the_message_fits_libtorrents_1200_byte_buffer()
    {
        // Largest accepted item: 64-byte salt, bencoded value of 1000 bytes, the longest seq text.
        int longest = DhtItems.MutableSignedMessageLength(DhtItems.MaxSaltBytes, long.MinValue, DhtItems.MaxValueBencodedBytes);

        Assert.True(longest <= 1200, $"{longest} bytes");
    }

    [Fact]
    public void The_1200_byte_truncation_quirk_is_not_reproduced()
    {
        // libtorrent builds the signed message in a 1,200-byte buffer and silently drops the rest, so a 200-byte
        // salt with a 1,000-byte value is signed over a cut-off message and never verifies (§7). We sign the full
        // message instead: such a put can only fail, so copying the quirk buys nothing, and §9.0 D8 refuses salts
        // over 64 bytes and bencoded values over 1000 bytes before any signing happens anyway.
        Ed25519KeyPair pair = Ed25519Keys.FromSeed(Ed25519KeysTests.TestSeed);
        byte[] salt = new byte[200];
        Array.Fill(salt, (byte)'s');
        byte[] raw = new byte[1000];
        Array.Fill(raw, (byte)'v');
        byte[] value = DhtItems.EncodeStringValue(raw);
        byte[] message = DhtItems.MutableSignedMessage(salt, 1, value);
        Assert.True(message.Length > 1200);

        byte[] signature = DhtItems.SignMutableItem(value, salt, 1, pair.PublicKey, pair.SecretKey);

        Assert.True(DhtItems.VerifyMutableItem(value, salt, 1, pair.PublicKey, signature));
        Assert.True(Ed25519Keys.Verify(message, signature, pair.PublicKey));
        Assert.False(Ed25519Keys.Verify(message.AsSpan(0, 1200), signature, pair.PublicKey)); // what libtorrent would have signed
    }

    [Fact]
    public void Sign_and_verify_mutable_item_round_trip_and_bind_every_field()
    {
        Ed25519KeyPair pair = Ed25519Keys.Generate();
        byte[] value = "5:hello"u8.ToArray();
        byte[] signature = DhtItems.SignMutableItem(value, "app"u8, 3, pair.PublicKey, pair.SecretKey);

        Assert.True(DhtItems.VerifyMutableItem(value, "app"u8, 3, pair.PublicKey, signature));
        Assert.False(DhtItems.VerifyMutableItem(value, "app"u8, 4, pair.PublicKey, signature));
        Assert.False(DhtItems.VerifyMutableItem(value, "apq"u8, 3, pair.PublicKey, signature));
        Assert.False(DhtItems.VerifyMutableItem(value, [], 3, pair.PublicKey, signature));
        Assert.False(DhtItems.VerifyMutableItem("5:hellp"u8, "app"u8, 3, pair.PublicKey, signature));
    }
}
