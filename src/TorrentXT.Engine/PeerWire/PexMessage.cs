// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.PeerWire;

/// <summary>BEP 11 per-peer flags (one byte per added peer in added.f / added6.f).</summary>
[Flags]
public enum PexFlags : byte
{
    None = 0,
    PrefersEncryption = 0x01,
    /// <summary>The peer is a seed (or upload-only).</summary>
    Seed = 0x02,
    SupportsUtp = 0x04,
    SupportsHolepunch = 0x08,
    /// <summary>The sender reached the peer with an outgoing connection.</summary>
    Reachable = 0x10,
}

public readonly record struct PexPeer(IPEndPoint Endpoint, PexFlags Flags);

/// <summary>
/// A BEP 11 ut_pex payload: peers the sender connected to (added, with flags) and dropped since its
/// last message, in compact form, IPv4 and IPv6 in separate keys. Decoding ignores unknown keys, and
/// flags whose count does not match their list (as libtorrent does), but rejects wrong types, ragged
/// lengths and oversized lists.
/// </summary>
public sealed class PexMessage
{
    public const string ExtensionName = "ut_pex";
    /// <summary>BEP 11 and libtorrent: at most 50 added and 50 dropped peers per message.</summary>
    public const int MaxPeersPerMessage = 50;
    /// <summary>Decoding tolerates more than we send (other clients are less frugal), up to this many per key.</summary>
    public const int DefaultMaxPeersPerKey = 200;

    private const string What = "ut_pex message";
    private const PeerWireError Error = PeerWireError.InvalidPexMessage;

    /// <summary>IPv4 and IPv6 peers together, in wire order (IPv4 first).</summary>
    public List<PexPeer> Added { get; } = new();
    public List<IPEndPoint> Dropped { get; } = new();

    /// <summary>Encodes all six keys (empty strings where nothing changed), keys sorted.</summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxPeersPerMessage"/> added or dropped peers.</exception>
    public byte[] Encode()
    {
        if (Added.Count > MaxPeersPerMessage || Dropped.Count > MaxPeersPerMessage)
            throw new ArgumentException($"a ut_pex message carries at most {MaxPeersPerMessage} added and {MaxPeersPerMessage} dropped peers");
        var d = new BDict
        {
            { "added", Compact(Added.Where(p => IsV4(p.Endpoint)).Select(p => p.Endpoint)) },
            { "added.f", Added.Where(p => IsV4(p.Endpoint)).Select(p => (byte)p.Flags).ToArray() },
            { "added6", Compact(Added.Where(p => !IsV4(p.Endpoint)).Select(p => p.Endpoint)) },
            { "added6.f", Added.Where(p => !IsV4(p.Endpoint)).Select(p => (byte)p.Flags).ToArray() },
            { "dropped", Compact(Dropped.Where(IsV4)) },
            { "dropped6", Compact(Dropped.Where(e => !IsV4(e))) },
        };
        return BencodeWriter.Encode(d);
    }

    public static PexMessage Decode(ReadOnlySpan<byte> payload, int maxPeersPerKey = DefaultMaxPeersPerKey) =>
        Decode(payload.ToArray().AsMemory(), maxPeersPerKey);

    public static PexMessage Decode(ReadOnlyMemory<byte> payload, int maxPeersPerKey = DefaultMaxPeersPerKey)
    {
        var dict = BencodedPayload.Dictionary(payload, Error, What, out _);
        var msg = new PexMessage();
        var endpoints = new List<IPEndPoint>();
        AddPeers(dict, "added", "added.f", AddressFamily.InterNetwork, maxPeersPerKey, endpoints, msg.Added);
        AddPeers(dict, "added6", "added6.f", AddressFamily.InterNetworkV6, maxPeersPerKey, endpoints, msg.Added);
        ReadList(dict, "dropped", AddressFamily.InterNetwork, maxPeersPerKey, msg.Dropped);
        ReadList(dict, "dropped6", AddressFamily.InterNetworkV6, maxPeersPerKey, msg.Dropped);
        return msg;
    }

    private static void AddPeers(BValue dict, string key, string flagsKey, AddressFamily family, int max, List<IPEndPoint> scratch, List<PexPeer> into)
    {
        scratch.Clear();
        ReadList(dict, key, family, max, scratch);
        var flags = BencodedPayload.Bytes(dict, flagsKey, 0, int.MaxValue, Error, What);
        // Flags only count when there is exactly one byte per peer; otherwise they are ignored.
        var f = flags is { } fl && fl.Length == scratch.Count ? fl.Span : default;
        for (int i = 0; i < scratch.Count; i++) into.Add(new PexPeer(scratch[i], f.IsEmpty ? PexFlags.None : (PexFlags)f[i]));
    }

    private static void ReadList(BValue dict, string key, AddressFamily family, int max, List<IPEndPoint> into)
    {
        if (BencodedPayload.Bytes(dict, key, 0, int.MaxValue, Error, What) is not { } bytes) return;
        if (!CompactEndpoints.TryReadList(bytes.Span, family, max, into))
            throw new PeerWireException(Error, $"invalid {What}: '{key}' has {bytes.Length} bytes (not whole entries, or more than {max})");
    }

    private static byte[] Compact(IEnumerable<IPEndPoint> endpoints)
    {
        var list = endpoints.ToList();
        var buffer = new byte[list.Sum(CompactEndpoints.SizeOf)];
        CompactEndpoints.WriteList(buffer, list);
        return buffer;
    }

    private static bool IsV4(IPEndPoint e) => CompactEndpoints.IsV4(e.Address);
}
