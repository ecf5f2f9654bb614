// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace TorrentXT.Engine.PeerWire;

/// <summary>
/// The compact peer form used by PEX, trackers and the DHT: an IPv4 address and a big-endian port
/// (6 bytes) or an IPv6 address and a port (18 bytes). IPv4-mapped IPv6 addresses are written in
/// the 6-byte form, since that is what they are.
/// </summary>
public static class CompactEndpoints
{
    public const int V4Length = 6;
    public const int V6Length = 18;

    /// <summary>6 or 18, by the address family (after unmapping IPv4-mapped IPv6).</summary>
    public static int SizeOf(IPEndPoint endpoint) => IsV4(endpoint.Address) ? V4Length : V6Length;

    /// <summary>Writes one endpoint; returns 6 or 18.</summary>
    public static int Write(Span<byte> destination, IPEndPoint endpoint)
    {
        var address = endpoint.Address;
        bool v4 = IsV4(address);
        if (v4 && address.AddressFamily == AddressFamily.InterNetworkV6) address = address.MapToIPv4();
        int size = v4 ? V4Length : V6Length;
        if (destination.Length < size) throw new ArgumentException($"the destination needs {size} bytes", nameof(destination));
        if (!address.TryWriteBytes(destination, out int written) || written != size - 2)
            throw new ArgumentException("unsupported address", nameof(endpoint));
        BinaryPrimitives.WriteUInt16BigEndian(destination[written..], (ushort)endpoint.Port);
        return size;
    }

    /// <summary>Reads one endpoint from exactly 6 or 18 bytes.</summary>
    public static IPEndPoint Read(ReadOnlySpan<byte> source)
    {
        if (source.Length is not (V4Length or V6Length))
            throw new ArgumentException("a compact endpoint is 6 or 18 bytes", nameof(source));
        int addressLength = source.Length - 2;
        return new IPEndPoint(new IPAddress(source[..addressLength]), BinaryPrimitives.ReadUInt16BigEndian(source[addressLength..]));
    }

    /// <summary>
    /// Reads a concatenation of same-family endpoints. Returns false (and leaves <paramref name="into"/>
    /// untouched) when the length is not a whole number of entries or there are more than <paramref name="maxCount"/>.
    /// </summary>
    public static bool TryReadList(ReadOnlySpan<byte> source, AddressFamily family, int maxCount, List<IPEndPoint> into)
    {
        int size = family == AddressFamily.InterNetwork ? V4Length
            : family == AddressFamily.InterNetworkV6 ? V6Length
            : throw new ArgumentOutOfRangeException(nameof(family), family, "IPv4 or IPv6 only");
        if (source.Length % size != 0 || source.Length / size > maxCount) return false;
        for (int off = 0; off < source.Length; off += size) into.Add(Read(source.Slice(off, size)));
        return true;
    }

    /// <summary>Writes endpoints of one family back to back; returns the bytes written.</summary>
    public static int WriteList(Span<byte> destination, IEnumerable<IPEndPoint> endpoints)
    {
        int off = 0;
        foreach (var e in endpoints) off += Write(destination[off..], e);
        return off;
    }

    internal static bool IsV4(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6;
}
