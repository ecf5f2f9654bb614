// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using TorrentXT.Engine.Dht;
using Xunit;

namespace TorrentXT.Engine.Tests.Dht;

/// <summary>ABI contract §7: libtorrent's Ed25519 keys and signing from the expanded secret key.</summary>
public class Ed25519KeysTests
{
    // §7 test key: seed 00 01 02 ... 1f.
    internal static readonly byte[] TestSeed = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    internal const string TestPublicHex = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";
    internal const string TestSecretHex =
        "3894eea49c580aef816935762be049559d6d1440dede12e6a125f1841fff8e6f" +
        "a9d71862a3e5746b571be3d187b0041046f52ebd850c7cbd5fde8ee38473b649";

    [Fact]
    public void FromSeed_gives_the_contract_test_vector()
    {
        Ed25519KeyPair pair = Ed25519Keys.FromSeed(TestSeed);

        Assert.Equal(TestPublicHex, Convert.ToHexStringLower(pair.PublicKey));
        Assert.Equal(TestSecretHex, Convert.ToHexStringLower(pair.SecretKey));
        Assert.Equal(TestSeed, pair.Seed);
    }

    [Fact]
    public void Secret_key_is_sha512_of_seed_clamped_and_not_libsodiums_layout()
    {
        byte[] seed = RandomNumberGenerator.GetBytes(32);
        byte[] expected = SHA512.HashData(seed);
        expected[0] &= 0xF8;
        expected[31] &= 0x3F;
        expected[31] |= 0x40;

        Ed25519KeyPair pair = Ed25519Keys.FromSeed(seed);

        Assert.Equal(expected, pair.SecretKey);
        Assert.NotEqual(seed, pair.SecretKey.AsSpan(0, 32).ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void FromSeed_refuses_a_seed_that_is_not_32_bytes(int length)
    {
        Assert.Throws<ArgumentException>(() => Ed25519Keys.FromSeed(new byte[length]));
    }

    [Theory]
    [InlineData("", "3:seqi1e1:v2:hi",
        "83a5c3638c3b51950656fc0b3950d5213e1aa7d6089fd5c342a285bb95f69ca68c89526a4dcd24694fb49e034392d51696b4c1307cddea81a96b1ef88dc6200f")]
    [InlineData("s", "4:salt1:s3:seqi1e1:v2:hi",
        "e4c3c67979c377e22484b42455207d16394a6e1abdbb72f06685713b491100b48a370fdb42bec346ddf264a3504d3ccea00f98fd848a3fb2bbc6505cb8036d02")]
    [InlineData("myapp", "4:salt5:myapp3:seqi1e1:v2:hi",
        "c1e5f52dcf1d42092d1418b167038280f203c2986aed39d2334243bb9657114eaa81dc07f0687a878139e25ee8fe047e23071b3bd30369874501f8c13009070a")]
    public void Contract_signatures_for_the_test_key_are_reproduced_exactly(string salt, string message, string signatureHex)
    {
        byte[] pk = Convert.FromHexString(TestPublicHex);
        byte[] sk = Convert.FromHexString(TestSecretHex);
        byte[] saltBytes = Encoding.ASCII.GetBytes(salt);

        Assert.Equal(message, Encoding.ASCII.GetString(DhtItems.MutableSignedMessage(saltBytes, 1, "2:hi"u8)));
        Assert.Equal(signatureHex, Convert.ToHexStringLower(Ed25519Keys.SignExpanded(Encoding.ASCII.GetBytes(message), pk, sk)));
        Assert.Equal(signatureHex, Convert.ToHexStringLower(DhtItems.SignMutableItem(DhtItems.EncodeStringValue("hi"u8), saltBytes, 1, pk, sk)));
        Assert.True(Ed25519Keys.Verify(Encoding.ASCII.GetBytes(message), Convert.FromHexString(signatureHex), pk));
    }

    [Fact]
    public void Signing_the_raw_value_instead_of_the_bencoded_one_gives_a_different_signature()
    {
        // The original's historical "feeds never arrive" bug: nodes verify against the bencoded value.
        byte[] pk = Convert.FromHexString(TestPublicHex);
        byte[] sk = Convert.FromHexString(TestSecretHex);
        byte[] wrong = DhtItems.SignMutableItem("hi"u8, [], 1, pk, sk);

        Assert.False(DhtItems.VerifyMutableItem("2:hi"u8, [], 1, pk, wrong));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(200)]
    [InlineData(5000)]
    public void SignExpanded_equals_rfc8032_signing_from_the_seed(int messageLength)
    {
        // Independent reference: NSec (libsodium's crypto_sign_detached) signing from the seed.
        byte[] seed = RandomNumberGenerator.GetBytes(32);
        byte[] message = RandomNumberGenerator.GetBytes(messageLength);
        using Key key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        byte[] reference = SignatureAlgorithm.Ed25519.Sign(key, message);

        Ed25519KeyPair pair = Ed25519Keys.FromSeed(seed);

        Assert.Equal(key.PublicKey.Export(KeyBlobFormat.RawPublicKey), pair.PublicKey);
        Assert.Equal(reference, Ed25519Keys.SignExpanded(message, pair.PublicKey, pair.SecretKey));
    }

    [Fact]
    public void Verify_accepts_a_good_signature_and_rejects_any_tampering()
    {
        Ed25519KeyPair pair = Ed25519Keys.FromSeed(TestSeed);
        byte[] message = "3:seqi1e1:v2:hi"u8.ToArray();
        byte[] signature = Ed25519Keys.SignExpanded(message, pair.PublicKey, pair.SecretKey);

        Assert.True(Ed25519Keys.Verify(message, signature, pair.PublicKey));

        foreach (int bit in new[] { 0, 100, 255, 256, 300, 511 }) // bits of R and of S
        {
            byte[] flipped = (byte[])signature.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Ed25519Keys.Verify(message, flipped, pair.PublicKey), $"flipped signature bit {bit}");
        }

        byte[] otherMessage = (byte[])message.Clone();
        otherMessage[^1] ^= 1;
        Assert.False(Ed25519Keys.Verify(otherMessage, signature, pair.PublicKey));
        Assert.False(Ed25519Keys.Verify(message, signature, Ed25519Keys.Generate().PublicKey));
        Assert.False(Ed25519Keys.Verify(message, signature.AsSpan(0, 63), pair.PublicKey));
        Assert.False(Ed25519Keys.Verify(message, signature, pair.PublicKey.AsSpan(0, 31)));
    }

    [Fact]
    public void Verify_handles_an_empty_message()
    {
        Ed25519KeyPair pair = Ed25519Keys.Generate();
        byte[] signature = Ed25519Keys.SignExpanded([], pair.PublicKey, pair.SecretKey);

        Assert.True(Ed25519Keys.Verify([], signature, pair.PublicKey));
        Assert.False(Ed25519Keys.Verify([0], signature, pair.PublicKey));
    }

    [Fact]
    public void SecretMatchesPublic_accepts_the_pair_and_rejects_others()
    {
        Ed25519KeyPair pair = Ed25519Keys.FromSeed(TestSeed);
        Ed25519KeyPair other = Ed25519Keys.Generate();

        Assert.True(Ed25519Keys.SecretMatchesPublic(pair.SecretKey, pair.PublicKey));
        Assert.False(Ed25519Keys.SecretMatchesPublic(pair.SecretKey, other.PublicKey));
        Assert.False(Ed25519Keys.SecretMatchesPublic(other.SecretKey, pair.PublicKey));

        // Only the scalar half (a = sk[0..31]) determines the public key; the nonce prefix does not.
        byte[] scalarChanged = (byte[])pair.SecretKey.Clone();
        scalarChanged[5] ^= 0x10;
        Assert.False(Ed25519Keys.SecretMatchesPublic(scalarChanged, pair.PublicKey));
        byte[] prefixChanged = (byte[])pair.SecretKey.Clone();
        prefixChanged[40] ^= 0x10;
        Assert.True(Ed25519Keys.SecretMatchesPublic(prefixChanged, pair.PublicKey));

        Assert.False(Ed25519Keys.SecretMatchesPublic(new byte[64], pair.PublicKey)); // a = 0
        Assert.False(Ed25519Keys.SecretMatchesPublic(pair.SecretKey.AsSpan(0, 63), pair.PublicKey));
        Assert.False(Ed25519Keys.SecretMatchesPublic(pair.SecretKey, pair.PublicKey.AsSpan(0, 31)));
    }

    [Fact]
    public void SignExpanded_hashes_the_callers_public_key_even_when_it_does_not_match()
    {
        // §7: k = SHA-512(R ‖ pk ‖ M) uses the supplied pk. R depends only on the secret and M, so it is the same;
        // S differs, and the signature verifies under neither key.
        Ed25519KeyPair pair = Ed25519Keys.FromSeed(TestSeed);
        byte[] wrongPk = Ed25519Keys.Generate().PublicKey;
        byte[] message = "3:seqi1e1:v2:hi"u8.ToArray();

        byte[] good = Ed25519Keys.SignExpanded(message, pair.PublicKey, pair.SecretKey);
        byte[] mixed = Ed25519Keys.SignExpanded(message, wrongPk, pair.SecretKey);

        Assert.Equal(good.AsSpan(0, 32).ToArray(), mixed.AsSpan(0, 32).ToArray());
        Assert.NotEqual(good.AsSpan(32).ToArray(), mixed.AsSpan(32).ToArray());
        Assert.False(Ed25519Keys.Verify(message, mixed, pair.PublicKey));
        Assert.False(Ed25519Keys.Verify(message, mixed, wrongPk));
    }

    [Fact]
    public void SignExpanded_is_deterministic()
    {
        Ed25519KeyPair pair = Ed25519Keys.Generate();
        byte[] message = RandomNumberGenerator.GetBytes(100);

        Assert.Equal(Ed25519Keys.SignExpanded(message, pair.PublicKey, pair.SecretKey),
            Ed25519Keys.SignExpanded(message, pair.PublicKey, pair.SecretKey));
    }

    [Fact]
    public void SignExpanded_refuses_keys_of_the_wrong_size()
    {
        Ed25519KeyPair pair = Ed25519Keys.Generate();
        Assert.Throws<ArgumentException>(() => Ed25519Keys.SignExpanded([1], pair.PublicKey.AsSpan(0, 31), pair.SecretKey));
        Assert.Throws<ArgumentException>(() => Ed25519Keys.SignExpanded([1], pair.PublicKey, pair.SecretKey.AsSpan(0, 32)));
        Assert.Throws<ArgumentException>(() => Ed25519Keys.SignExpanded([1], pair.PublicKey, pair.Seed));
    }

    [Fact]
    public void Generate_gives_distinct_working_keys()
    {
        var pairs = Enumerable.Range(0, 16).Select(_ => Ed25519Keys.Generate()).ToList();

        Assert.Equal(pairs.Count, pairs.Select(p => Convert.ToHexString(p.Seed)).Distinct().Count());
        Assert.Equal(pairs.Count, pairs.Select(p => Convert.ToHexString(p.PublicKey)).Distinct().Count());
        foreach (Ed25519KeyPair pair in pairs)
        {
            Assert.Equal(32, pair.Seed.Length);
            Assert.Equal(32, pair.PublicKey.Length);
            Assert.Equal(64, pair.SecretKey.Length);
            Assert.Equal(Ed25519Keys.FromSeed(pair.Seed).SecretKey, pair.SecretKey);
            Assert.True(Ed25519Keys.SecretMatchesPublic(pair.SecretKey, pair.PublicKey));
            byte[] signature = Ed25519Keys.SignExpanded(pair.Seed, pair.PublicKey, pair.SecretKey);
            Assert.True(Ed25519Keys.Verify(pair.Seed, signature, pair.PublicKey));
        }
    }
}
