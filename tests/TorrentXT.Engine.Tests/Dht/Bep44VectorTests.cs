// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.Json;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Dht;
using Xunit;

namespace TorrentXT.Engine.Tests.Dht;

/// <summary>Every vector in bep44.json, as produced by libtorrent 2.0.8, reproduced byte for byte.</summary>
public class Bep44VectorTests
{
    public static TheoryData<int> PublishedIndexes => Bep44VectorFile.Indexes(Bep44VectorFile.Published);
    public static TheoryData<int> KeyIndexes => Bep44VectorFile.Indexes(Bep44VectorFile.Keys);
    public static TheoryData<int> MutableIndexes => Bep44VectorFile.Indexes(Bep44VectorFile.MutableItems);
    public static TheoryData<int> ImmutableIndexes => Bep44VectorFile.Indexes(Bep44VectorFile.ImmutableItems);

    [Fact]
    public void The_file_holds_the_expected_number_of_vectors()
    {
        // Guards against a truncated or regenerated file silently shrinking the theories below.
        Assert.Equal(3, Bep44VectorFile.Published.GetArrayLength());
        Assert.Equal(4, Bep44VectorFile.Keys.GetArrayLength());
        Assert.Equal(36, Bep44VectorFile.MutableItems.GetArrayLength());
        Assert.Equal(8, Bep44VectorFile.ImmutableItems.GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(PublishedIndexes))]
    public void Published_BEP44_test_vector(int index)
    {
        JsonElement v = Bep44VectorFile.Published[index];
        byte[] value = Encoding.ASCII.GetBytes(v.GetProperty("value_bencoded").GetString()!);
        byte[] target = Bep44VectorFile.Hex(v, "target");

        if (!v.TryGetProperty("public_key", out _))
        {
            // Immutable: the target is SHA-1 of the bencoded value, i.e. of the raw string's "<len>:<bytes>".
            Assert.Equal(target, DhtItems.ImmutableTargetOfBencoded(value));
            Assert.Equal(target, DhtItems.ImmutableTarget(BencodeReader.Decode(value).Bytes.Span));
            return;
        }

        byte[] pk = Bep44VectorFile.Hex(v, "public_key");
        byte[] sk = Bep44VectorFile.Hex(v, "private_key_expanded");
        byte[] salt = v.GetProperty("salt").ValueKind == JsonValueKind.Null ? [] : Encoding.ASCII.GetBytes(v.GetProperty("salt").GetString()!);
        long seq = v.GetProperty("seq").GetInt64();
        byte[] signature = Bep44VectorFile.Hex(v, "signature");

        Assert.Equal(target, DhtItems.MutableTarget(pk, salt));
        Assert.Equal(v.GetProperty("buffer_signed").GetString(), Encoding.ASCII.GetString(DhtItems.MutableSignedMessage(salt, seq, value)));
        // The BEP publishes no seed, so only an expanded-key signer can reproduce these signatures.
        Assert.Equal(signature, DhtItems.SignMutableItem(value, salt, seq, pk, sk));
        Assert.True(DhtItems.VerifyMutableItem(value, salt, seq, pk, signature));
        Assert.True(Ed25519Keys.SecretMatchesPublic(sk, pk));
    }

    [Theory]
    [MemberData(nameof(KeyIndexes))]
    public void Libtorrent_keypair_from_seed(int index)
    {
        JsonElement v = Bep44VectorFile.Keys[index];
        byte[] seed = Bep44VectorFile.Hex(v, "seed");

        Ed25519KeyPair pair = Ed25519Keys.FromSeed(seed);

        Assert.Equal(v.GetProperty("public_key").GetString(), Convert.ToHexStringLower(pair.PublicKey));
        Assert.Equal(v.GetProperty("secret_key_libtorrent").GetString(), Convert.ToHexStringLower(pair.SecretKey));
        Assert.Equal(seed, pair.Seed);
        // libsodium's layout (seed ‖ pk) is NOT what we hand out, but its parts must agree with ours.
        Assert.Equal(Bep44VectorFile.Hex(v, "secret_key_rfc8032_libsodium"), pair.Seed.Concat(pair.PublicKey).ToArray());
        Assert.True(Ed25519Keys.SecretMatchesPublic(pair.SecretKey, pair.PublicKey));
    }

    [Theory]
    [MemberData(nameof(MutableIndexes))]
    public void Libtorrent_signed_mutable_item(int index)
    {
        JsonElement v = Bep44VectorFile.MutableItems[index];
        byte[] seed = Bep44VectorFile.Hex(v, "seed");
        byte[] pk = Bep44VectorFile.Hex(v, "public_key");
        byte[] value = Bep44VectorFile.Hex(v, "value_bencoded_hex");
        byte[] salt = Bep44VectorFile.Hex(v, "salt_hex");
        long seq = v.GetProperty("seq").GetInt64();
        byte[] message = Bep44VectorFile.Hex(v, "buffer_signed_hex");
        byte[] signature = Bep44VectorFile.Hex(v, "signature");
        Ed25519KeyPair pair = Ed25519Keys.FromSeed(seed);
        Assert.Equal(pk, pair.PublicKey);

        Assert.Equal(message, DhtItems.MutableSignedMessage(salt, seq, value));
        Assert.Equal(signature, Ed25519Keys.SignExpanded(message, pk, pair.SecretKey));
        Assert.Equal(signature, DhtItems.SignMutableItem(value, salt, seq, pk, pair.SecretKey));
        Assert.Equal(Bep44VectorFile.Hex(v, "target"), DhtItems.MutableTarget(pk, salt));

        Assert.Equal(v.GetProperty("libtorrent_verify").GetBoolean(), Ed25519Keys.Verify(message, signature, pk));

        byte[] flipped = (byte[])signature.Clone();
        flipped[0] ^= 1;
        Assert.Equal(v.GetProperty("libtorrent_verify_with_flipped_signature_bit").GetBoolean(), Ed25519Keys.Verify(message, flipped, pk));

        long otherSeq = seq < long.MaxValue ? seq + 1 : seq - 1; // as generate.py does
        Assert.Equal(v.GetProperty("libtorrent_verify_against_other_seq").GetBoolean(),
            DhtItems.VerifyMutableItem(value, salt, otherSeq, pk, signature));
    }

    [Theory]
    [MemberData(nameof(ImmutableIndexes))]
    public void Libtorrent_immutable_target(int index)
    {
        JsonElement v = Bep44VectorFile.ImmutableItems[index];
        byte[] value = Bep44VectorFile.Hex(v, "value_bencoded_hex");
        byte[] target = Bep44VectorFile.Hex(v, "target");

        Assert.Equal(target, DhtItems.ImmutableTargetOfBencoded(value));

        // For byte-string values, the raw-bytes entry point (what btx_dht_put_immutable uses) must agree.
        BValue decoded = BencodeReader.Decode(value);
        if (decoded.IsString)
        {
            Assert.Equal(target, DhtItems.ImmutableTarget(decoded.Bytes.Span));
            Assert.Equal(value, DhtItems.EncodeStringValue(decoded.Bytes.Span));
        }
    }
}
