// SPDX-License-Identifier: MIT
using System.Security.Cryptography;

namespace TorrentXT.Engine.PeerWire.Encryption;

/// <summary>
/// The SHA-1 values of the MSE handshake, each HASH(label, ...): req1 (the receiver's sync mark),
/// req2 xor req3 (names the torrent without revealing its info-hash), and keyA/keyB (the RC4 keys
/// of the initiator's and the receiver's sending directions).
/// </summary>
public static class MseHashes
{
    public const int Length = 20;

    /// <summary>HASH('req1', S): the receiver scans for it after the initiator's padding.</summary>
    public static byte[] Req1(ReadOnlySpan<byte> secret) => Hash("req1"u8, secret, default);

    /// <summary>HASH('req2', SKEY): what a receiver compares against for each of its torrents.</summary>
    public static byte[] Req2(ReadOnlySpan<byte> skey) => Hash("req2"u8, skey, default);

    /// <summary>HASH('req3', S).</summary>
    public static byte[] Req3(ReadOnlySpan<byte> secret) => Hash("req3"u8, secret, default);

    /// <summary>HASH('req2', SKEY) xor HASH('req3', S), as the initiator sends it.</summary>
    public static byte[] ObfuscatedSkey(ReadOnlySpan<byte> skey, ReadOnlySpan<byte> secret)
    {
        var a = Req2(skey);
        var b = Req3(secret);
        for (int i = 0; i < Length; i++) a[i] ^= b[i];
        return a;
    }

    /// <summary>The RC4 key of the initiator's sending direction: HASH('keyA', S, SKEY).</summary>
    public static byte[] KeyA(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> skey) => Hash("keyA"u8, secret, skey);

    /// <summary>The RC4 key of the receiver's sending direction: HASH('keyB', S, SKEY).</summary>
    public static byte[] KeyB(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> skey) => Hash("keyB"u8, secret, skey);

    private static byte[] Hash(ReadOnlySpan<byte> label, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        h.AppendData(label);
        h.AppendData(a);
        h.AppendData(b);
        return h.GetHashAndReset();
    }
}
