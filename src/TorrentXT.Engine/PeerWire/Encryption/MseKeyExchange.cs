// SPDX-License-Identifier: MIT
using System.Numerics;
using System.Security.Cryptography;

namespace TorrentXT.Engine.PeerWire.Encryption;

/// <summary>
/// MSE's Diffie-Hellman exchange: the 768-bit prime of the specification, generator 2, a fresh
/// 160-bit private key per connection. Public keys and the shared secret travel as 96-byte big-endian
/// numbers, left-padded with zeros.
/// </summary>
public sealed class MseKeyExchange
{
    /// <summary>Bytes of a public key or of the shared secret S on the wire.</summary>
    public const int KeyLength = 96;
    private const int PrivateKeyBytes = 20; // 160 bits, the specification's minimum

    private static readonly BigInteger Prime = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563",
        System.Globalization.NumberStyles.HexNumber);
    private static readonly BigInteger Generator = 2;

    private readonly BigInteger _private;

    /// <summary>Our public key Y = 2^X mod P, 96 bytes.</summary>
    public byte[] PublicKey { get; }

    public MseKeyExchange()
    {
        Span<byte> x = stackalloc byte[PrivateKeyBytes];
        RandomNumberGenerator.Fill(x);
        x[0] |= 0x80; // a full 160 bits
        _private = new BigInteger(x, isUnsigned: true, isBigEndian: true);
        PublicKey = Export(BigInteger.ModPow(Generator, _private, Prime));
    }

    /// <summary>
    /// The shared secret S from the peer's 96-byte public key. Throws <see cref="PeerWireException"/>
    /// for a degenerate key (0, 1 or P-1 and beyond), which would make S predictable.
    /// </summary>
    public byte[] SharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != KeyLength) throw new ArgumentException("an MSE public key is 96 bytes", nameof(peerPublicKey));
        var y = new BigInteger(peerPublicKey, isUnsigned: true, isBigEndian: true);
        if (y <= BigInteger.One || y >= Prime - BigInteger.One)
            throw new PeerWireException(PeerWireError.EncryptionHandshake, "encryption handshake: invalid public key");
        return Export(BigInteger.ModPow(y, _private, Prime));
    }

    private static byte[] Export(BigInteger value)
    {
        var bytes = new byte[KeyLength];
        int len = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(bytes.AsSpan(KeyLength - len), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }
}
