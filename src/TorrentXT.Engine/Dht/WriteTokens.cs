// SPDX-License-Identifier: MIT
using System.Net;
using System.Security.Cryptography;

namespace TorrentXT.Engine.Dht;

/// <summary>
/// Write tokens (BEP 5): SHA-1 of a secret and the requester's IP, cut to 8 bytes. The secret
/// rotates every 5 minutes and the previous one stays valid, so a token lives 5 to 10 minutes
/// and cannot be forged or reused from another address.
/// </summary>
public sealed class WriteTokens
{
    public const int TokenBytes = 8;
    private static readonly long RotateTicks = TimeSpan.FromMinutes(5).Ticks;
    private byte[] _current = RandomNumberGenerator.GetBytes(16);
    private byte[] _previous = RandomNumberGenerator.GetBytes(16);
    private long _rotatedAt;

    public void Tick(long now)
    {
        if (_rotatedAt == 0) { _rotatedAt = now; return; }
        if (now - _rotatedAt < RotateTicks) return;
        _previous = _current;
        _current = RandomNumberGenerator.GetBytes(16);
        _rotatedAt = now;
    }

    /// <summary>Forces a rotation (tests: tokens outlive exactly one rotation).</summary>
    public void Rotate() { _previous = _current; _current = RandomNumberGenerator.GetBytes(16); }

    public byte[] Make(IPAddress ip) => Make(_current, ip);

    public bool Valid(ReadOnlySpan<byte> token, IPAddress ip) =>
        token.Length == TokenBytes &&
        (CryptographicOperations.FixedTimeEquals(token, Make(_current, ip)) || CryptographicOperations.FixedTimeEquals(token, Make(_previous, ip)));

    private static byte[] Make(byte[] secret, IPAddress ip)
    {
        Span<byte> input = stackalloc byte[16 + 16];
        secret.CopyTo(input);
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        ip.TryWriteBytes(input[16..], out int n);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input[..(16 + n)], hash);
        return hash[..TokenBytes].ToArray();
    }
}
