// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace TorrentXT.Engine.Dht;

/// <summary>A node as the DHT knows it on the wire: its id and UDP endpoint.</summary>
public readonly record struct NodeInfo(byte[] Id, IPEndPoint EndPoint);

/// <summary>
/// BEP 5 / BEP 32 compact forms: peers (4+2 or 16+2 bytes) and node infos (20 + peer bytes).
/// Malformed lengths are rejected whole, as a strict receiver should.
/// </summary>
public static class Compact
{
    public static int EndpointSize(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? 18 : 6;

    public static void WriteEndpoint(Span<byte> into, IPEndPoint ep)
    {
        var address = ep.Address.IsIPv4MappedToIPv6 ? ep.Address.MapToIPv4() : ep.Address;
        address.TryWriteBytes(into, out int n);
        BinaryPrimitives.WriteUInt16BigEndian(into[n..], (ushort)ep.Port);
    }

    public static byte[] Endpoint(IPEndPoint ep)
    {
        var address = ep.Address.IsIPv4MappedToIPv6 ? ep.Address.MapToIPv4() : ep.Address;
        var b = new byte[EndpointSize(address.AddressFamily)];
        WriteEndpoint(b, new IPEndPoint(address, ep.Port));
        return b;
    }

    public static IPEndPoint? ReadEndpoint(ReadOnlySpan<byte> b)
    {
        if (b.Length != 6 && b.Length != 18) return null;
        int n = b.Length - 2;
        return new IPEndPoint(new IPAddress(b[..n]), BinaryPrimitives.ReadUInt16BigEndian(b[n..]));
    }

    /// <summary>Concatenated node infos for one family (nodes or nodes6).</summary>
    public static byte[] Nodes(IEnumerable<NodeInfo> nodes, AddressFamily family)
    {
        int size = NodeId.Bytes + EndpointSize(family);
        var list = nodes.Where(n => Family(n.EndPoint) == family).ToList();
        var b = new byte[list.Count * size];
        for (int i = 0; i < list.Count; i++)
        {
            list[i].Id.CopyTo(b, i * size);
            WriteEndpoint(b.AsSpan(i * size + NodeId.Bytes), list[i].EndPoint);
        }
        return b;
    }

    /// <summary>Parses nodes/nodes6; returns false when the length is not a whole number of entries.</summary>
    public static bool TryReadNodes(ReadOnlySpan<byte> b, AddressFamily family, List<NodeInfo> into, int max = 64)
    {
        int size = NodeId.Bytes + EndpointSize(family);
        if (b.Length % size != 0) return false;
        for (int at = 0; at + size <= b.Length && into.Count < max; at += size)
        {
            var ep = ReadEndpoint(b.Slice(at + NodeId.Bytes, size - NodeId.Bytes))!;
            if (ep.Port == 0) continue; // unreachable, never worth a packet
            into.Add(new NodeInfo(b.Slice(at, NodeId.Bytes).ToArray(), ep));
        }
        return true;
    }

    public static AddressFamily Family(IPEndPoint ep) =>
        ep.Address.IsIPv4MappedToIPv6 ? AddressFamily.InterNetwork : ep.AddressFamily;

    /// <summary>The /24 (IPv4) or /64 (IPv6) prefix, as libtorrent's IP restrictions compare them.</summary>
    public static UInt128 Prefix(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        Span<byte> b = stackalloc byte[16];
        ip.TryWriteBytes(b, out int n);
        if (n == 4) return (UInt128)(BinaryPrimitives.ReadUInt32BigEndian(b) >> 8);
        return (UInt128)BinaryPrimitives.ReadUInt64BigEndian(b) | ((UInt128)1 << 100);
    }
}
