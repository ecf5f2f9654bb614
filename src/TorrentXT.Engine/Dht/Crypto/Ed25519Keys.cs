// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using NSec.Cryptography;

namespace TorrentXT.Engine.Dht;

/// <summary>
/// Ed25519 exactly as libtorrent's BEP 44 code uses it (ABI contract §7): keys whose secret half is the
/// 64-byte expanded form, and signing straight from that expanded form, since the seed is not available
/// when an app passes only (public key, secret key) to a mutable put.
/// </summary>
public static class Ed25519Keys
{
    public const int SeedBytes = 32;
    public const int PublicKeyBytes = 32;
    public const int SecretKeyBytes = 64;
    public const int SignatureBytes = 64;

    /// <summary>Derives libtorrent's key pair from a 32-byte seed.</summary>
    public static Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed32)
    {
        RequireLength(seed32, SeedBytes, nameof(seed32));

        // The public key comes from NSec's standard RFC 8032 derivation, independent of the expanded-key
        // arithmetic below, so SecretMatchesPublic(secret, public) cross-checks the two paths.
        byte[] publicKey = new byte[PublicKeyBytes];
        using (Key key = Key.Import(SignatureAlgorithm.Ed25519, seed32, KeyBlobFormat.RawPrivateKey))
        {
            if (!key.PublicKey.TryExport(KeyBlobFormat.RawPublicKey, publicKey, out int written) || written != PublicKeyBytes)
                throw new CryptographicException("could not export the Ed25519 public key");
        }

        return new Ed25519KeyPair(publicKey, ExpandSeed(seed32), seed32.ToArray());
    }

    /// <summary>A fresh key pair from 32 CSPRNG bytes.</summary>
    public static Ed25519KeyPair Generate()
    {
        Span<byte> seed = stackalloc byte[SeedBytes];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return FromSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// Signs <paramref name="message"/> with an expanded secret key (§7 steps 1-5):
    /// r = SHA-512(sk[32..63] ‖ M) mod L; R = r·B; k = SHA-512(R ‖ pk ‖ M) mod L; S = (r + k·a) mod L; signature R ‖ S.
    /// When <paramref name="publicKey32"/> belongs to the secret key this is the RFC 8032 signature. As in libtorrent,
    /// the public key hashed into k is the caller's, even if it does not match (such a signature never verifies).
    /// </summary>
    public static unsafe byte[] SignExpanded(ReadOnlySpan<byte> message, ReadOnlySpan<byte> publicKey32, ReadOnlySpan<byte> expandedSecret64)
    {
        RequireLength(publicKey32, PublicKeyBytes, nameof(publicKey32));
        RequireLength(expandedSecret64, SecretKeyBytes, nameof(expandedSecret64));
        LibSodium.EnsureInitialised();

        byte[] signature = new byte[SignatureBytes];
        byte* hash = stackalloc byte[LibSodium.Sha512Bytes];
        byte* r = stackalloc byte[LibSodium.ScalarBytes];
        byte* k = stackalloc byte[LibSodium.ScalarBytes];
        byte* a = stackalloc byte[LibSodium.ScalarBytes];
        byte* ka = stackalloc byte[LibSodium.ScalarBytes];
        LibSodium.Sha512State state;
        try
        {
            fixed (byte* m = message)
            fixed (byte* pk = publicKey32)
            fixed (byte* sk = expandedSecret64)
            fixed (byte* sig = signature)
            {
                // 1. r = SHA-512(prefix ‖ M) mod L
                LibSodium.crypto_hash_sha512_init(&state);
                LibSodium.crypto_hash_sha512_update(&state, sk + 32, 32);
                LibSodium.crypto_hash_sha512_update(&state, m, (ulong)message.Length);
                LibSodium.crypto_hash_sha512_final(&state, hash);
                LibSodium.crypto_core_ed25519_scalar_reduce(r, hash);

                // 2. R = r·B, written straight into the signature's first half.
                BaseMultiply(sig, r);

                // 3. k = SHA-512(R ‖ pk ‖ M) mod L
                LibSodium.crypto_hash_sha512_init(&state);
                LibSodium.crypto_hash_sha512_update(&state, sig, 32);
                LibSodium.crypto_hash_sha512_update(&state, pk, 32);
                LibSodium.crypto_hash_sha512_update(&state, m, (ulong)message.Length);
                LibSodium.crypto_hash_sha512_final(&state, hash);
                LibSodium.crypto_core_ed25519_scalar_reduce(k, hash);

                // 4. S = (r + k·a) mod L. a is reduced first so that any 32-byte value (even an unclamped one
                // a caller typed in) gives the same result as libtorrent's full 256-bit sc_muladd.
                ReduceScalar(a, sk);
                LibSodium.crypto_core_ed25519_scalar_mul(ka, k, a);
                LibSodium.crypto_core_ed25519_scalar_add(sig + 32, r, ka);
            }
            return signature;
        }
        finally
        {
            // r and a are as secret as the key itself.
            new Span<byte>(hash, LibSodium.Sha512Bytes).Clear();
            new Span<byte>(r, LibSodium.ScalarBytes).Clear();
            new Span<byte>(a, LibSodium.ScalarBytes).Clear();
            new Span<byte>(ka, LibSodium.ScalarBytes).Clear();
            new Span<byte>(&state, sizeof(LibSodium.Sha512State)).Clear();
        }
    }

    /// <summary>Standard Ed25519 verification (libsodium's, which NSec also uses). Wrong lengths give false.</summary>
    public static unsafe bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64, ReadOnlySpan<byte> publicKey32)
    {
        if (signature64.Length != SignatureBytes || publicKey32.Length != PublicKeyBytes)
            return false;
        LibSodium.EnsureInitialised();
        // Called directly rather than through NSec so that checking each received DHT item allocates nothing.
        fixed (byte* m = message)
        fixed (byte* sig = signature64)
        fixed (byte* pk = publicKey32)
            return LibSodium.crypto_sign_ed25519_verify_detached(sig, m, (ulong)message.Length, pk) == 0;
    }

    /// <summary>True when a·B equals <paramref name="publicKey32"/>, a being sk[0..31] (the §9.0 D8 key check).</summary>
    public static unsafe bool SecretMatchesPublic(ReadOnlySpan<byte> expandedSecret64, ReadOnlySpan<byte> publicKey32)
    {
        if (expandedSecret64.Length != SecretKeyBytes || publicKey32.Length != PublicKeyBytes)
            return false;
        LibSodium.EnsureInitialised();
        byte* a = stackalloc byte[LibSodium.ScalarBytes];
        byte* derived = stackalloc byte[LibSodium.PointBytes];
        try
        {
            fixed (byte* sk = expandedSecret64)
                ReduceScalar(a, sk);
            // a ≡ 0 (mod L) has no usable public key: libsodium refuses it, and so do we.
            if (LibSodium.crypto_scalarmult_ed25519_base_noclamp(derived, a) != 0)
                return false;
            return CryptographicOperations.FixedTimeEquals(new ReadOnlySpan<byte>(derived, LibSodium.PointBytes), publicKey32);
        }
        finally
        {
            new Span<byte>(a, LibSodium.ScalarBytes).Clear();
        }
    }

    /// <summary>libtorrent's expanded secret: SHA-512(seed) with h[0] &amp;= 0xF8, h[31] &amp;= 0x3F, h[31] |= 0x40.</summary>
    private static unsafe byte[] ExpandSeed(ReadOnlySpan<byte> seed32)
    {
        LibSodium.EnsureInitialised();
        byte[] secret = new byte[SecretKeyBytes];
        fixed (byte* s = seed32)
        fixed (byte* h = secret)
            LibSodium.crypto_hash_sha512(h, s, (ulong)seed32.Length);
        secret[0] &= 0xF8;
        secret[31] &= 0x3F;
        secret[31] |= 0x40;
        return secret;
    }

    /// <summary>out = sk[0..31] mod L (scalar_reduce takes 64 bytes, so the upper half is zero padding).</summary>
    private static unsafe void ReduceScalar(byte* result32, byte* secret)
    {
        byte* wide = stackalloc byte[LibSodium.NonReducedScalarBytes];
        new Span<byte>(secret, LibSodium.ScalarBytes).CopyTo(new Span<byte>(wide, LibSodium.ScalarBytes));
        new Span<byte>(wide + LibSodium.ScalarBytes, LibSodium.ScalarBytes).Clear();
        LibSodium.crypto_core_ed25519_scalar_reduce(result32, wide);
        new Span<byte>(wide, LibSodium.ScalarBytes).Clear();
    }

    /// <summary>R = r·B for a reduced scalar r.</summary>
    private static unsafe void BaseMultiply(byte* point32, byte* scalar32)
    {
        if (LibSodium.crypto_scalarmult_ed25519_base_noclamp(point32, scalar32) == 0)
            return;
        // libsodium refuses r = 0 (probability 2^-252 for a hash mod L); 0·B is the identity, encoded as y = 1.
        var point = new Span<byte>(point32, LibSodium.PointBytes);
        point.Clear();
        point[0] = 1;
    }

    private static void RequireLength(ReadOnlySpan<byte> value, int length, string name)
    {
        if (value.Length != length)
            throw new ArgumentException($"must be {length} bytes, got {value.Length}", name);
    }
}
