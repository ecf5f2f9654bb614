// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace TorrentXT.Engine.Dht;

/// <summary>
/// 160-bit node ids and targets: XOR distance, common prefix length, and BEP 42 (node ids derived
/// from the node's external IP). We make our own id per BEP 42 and check others' ids tolerantly:
/// a mismatch only marks the node unverified unless dht_enforce_node_id is set.
/// </summary>
public static class NodeId
{
    public const int Bytes = 20;

    public static byte[] Random()
    {
        var id = new byte[Bytes];
        RandomNumberGenerator.Fill(id);
        return id;
    }

    /// <summary>Number of leading bits <paramref name="a"/> and <paramref name="b"/> share (160 when equal).</summary>
    public static int CommonPrefixBits(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (int i = 0; i < Bytes; i++)
        {
            int x = a[i] ^ b[i];
            if (x != 0) return i * 8 + System.Numerics.BitOperations.LeadingZeroCount((uint)x) - 24;
        }
        return Bytes * 8;
    }

    /// <summary>Compares the distances of <paramref name="a"/> and <paramref name="b"/> to <paramref name="target"/>.</summary>
    /// <summary>The first 64 bits of the XOR distance between two ids, big-endian.</summary>
    public static ulong DistancePrefix(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        ulong d = 0;
        for (int i = 0; i < 8; i++) d = (d << 8) | (byte)(a[i] ^ b[i]);
        return d;
    }

    public static int CompareDistance(ReadOnlySpan<byte> target, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (int i = 0; i < Bytes; i++)
        {
            int da = a[i] ^ target[i], db = b[i] ^ target[i];
            if (da != db) return da < db ? -1 : 1;
        }
        return 0;
    }

    /// <summary>A random id that shares exactly <paramref name="prefixBits"/> leading bits with <paramref name="own"/> (bucket refresh).</summary>
    public static byte[] RandomInBucket(ReadOnlySpan<byte> own, int prefixBits)
    {
        var id = Random();
        if (prefixBits >= Bytes * 8) return own.ToArray();
        for (int bit = 0; bit < prefixBits; bit++) SetBit(id, bit, GetBit(own, bit));
        SetBit(id, prefixBits, !GetBit(own, prefixBits));
        return id;
    }

    private static bool GetBit(ReadOnlySpan<byte> id, int bit) => (id[bit >> 3] & (0x80 >> (bit & 7))) != 0;
    private static void SetBit(Span<byte> id, int bit, bool on)
    {
        if (on) id[bit >> 3] |= (byte)(0x80 >> (bit & 7));
        else id[bit >> 3] &= (byte)~(0x80 >> (bit & 7));
    }

    // ---- BEP 42 ---------------------------------------------------------------------------------

    private static ReadOnlySpan<byte> V4Mask => [0x03, 0x0f, 0x3f, 0xff];
    private static ReadOnlySpan<byte> V6Mask => [0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, 0xff];

    /// <summary>A BEP 42 id for <paramref name="externalIp"/> (random where the BEP leaves it open).</summary>
    public static byte[] ForAddress(IPAddress externalIp)
    {
        var id = Random();
        byte r = (byte)(id[19] & 7);
        uint crc = Bep42Crc(externalIp, r);
        id[0] = (byte)(crc >> 24);
        id[1] = (byte)(crc >> 16);
        id[2] = (byte)(((crc >> 8) & 0xf8) | (uint)(id[2] & 7));
        id[19] = (byte)((id[19] & 0xf8) | r);
        return id;
    }

    /// <summary>True when <paramref name="id"/> satisfies BEP 42 for <paramref name="ip"/>; local addresses are exempt.</summary>
    public static bool MatchesAddress(ReadOnlySpan<byte> id, IPAddress ip)
    {
        if (IsExempt(ip)) return true;
        uint crc = Bep42Crc(ip, (byte)(id[19] & 7));
        return id[0] == (byte)(crc >> 24) && id[1] == (byte)(crc >> 16) && (id[2] & 0xf8) == (byte)((crc >> 8) & 0xf8);
    }

    /// <summary>Loopback, private, link-local and unspecified addresses have no BEP 42 constraint.</summary>
    public static bool IsExempt(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)) return true;
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            ip.TryWriteBytes(b, out _);
            return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254);
        }
        return ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6UniqueLocal;
    }

    private static uint Bep42Crc(IPAddress ip, byte r)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        Span<byte> b = stackalloc byte[16];
        ip.TryWriteBytes(b, out int n);
        var mask = n == 4 ? V4Mask : V6Mask;
        var masked = b[..mask.Length];
        for (int i = 0; i < mask.Length; i++) masked[i] &= mask[i];
        masked[0] |= (byte)(r << 5);
        return Crc32C.Compute(masked);
    }
}
