// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// BEP 6's canonical allowed-fast set: the pieces a peer may request from us while we choke it,
/// derived from its address and the info-hash so that it is the same on every reconnect (and the
/// same set libtorrent would compute for that peer).
/// </summary>
internal static class AllowedFastSet
{
    /// <summary>Up to <paramref name="size"/> distinct piece indices for the peer at <paramref name="address"/>.</summary>
    public static List<int> Compute(IPAddress address, ReadOnlySpan<byte> infoHash20, int pieceCount, int size)
    {
        var set = new List<int>(Math.Max(0, Math.Min(size, pieceCount)));
        if (size <= 0 || pieceCount <= 0) return set;
        if (size >= pieceCount)
        {
            for (int i = 0; i < pieceCount; i++) set.Add(i);
            return set;
        }
        // IPv4: the /24 network (so a peer cannot farm sets from neighbouring addresses); IPv6: the /64.
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        byte[] ip = address.GetAddressBytes();
        int ipLength = ip.Length == 4 ? 4 : 8;
        Span<byte> x = stackalloc byte[ipLength + 20];
        ip.AsSpan(0, ipLength).CopyTo(x);
        if (ipLength == 4) x[3] = 0;
        infoHash20.CopyTo(x[ipLength..]);
        Span<byte> hash = stackalloc byte[20], previous = stackalloc byte[20];
        SHA1.HashData(x, hash);
        while (true)
        {
            for (int i = 0; i < 5; i++)
            {
                int piece = (int)(BinaryPrimitives.ReadUInt32BigEndian(hash.Slice(i * 4, 4)) % (uint)pieceCount);
                if (set.Contains(piece)) continue;
                set.Add(piece);
                if (set.Count >= size) return set;
            }
            hash.CopyTo(previous);
            SHA1.HashData(previous, hash);
        }
    }
}
