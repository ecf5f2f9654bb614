// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using TorrentXT.Engine.PeerWire;

namespace TorrentXT.Engine.Trackers;

/// <summary>BEP 15 packet layouts: connect, announce, scrape and error, all big-endian.</summary>
public static class UdpTrackerPackets
{
    public const long ProtocolId = 0x41727101980;
    public const int Connect = 0, Announce = 1, Scrape = 2, Error = 3;
    public const int AnnounceLength = 98;

    public static int WriteConnect(Span<byte> p, uint transaction)
    {
        BinaryPrimitives.WriteInt64BigEndian(p, ProtocolId);
        BinaryPrimitives.WriteInt32BigEndian(p[8..], Connect);
        BinaryPrimitives.WriteUInt32BigEndian(p[12..], transaction);
        return 16;
    }

    public static int WriteAnnounce(Span<byte> p, long connectionId, uint transaction, AnnounceRequest r)
    {
        BinaryPrimitives.WriteInt64BigEndian(p, connectionId);
        BinaryPrimitives.WriteInt32BigEndian(p[8..], Announce);
        BinaryPrimitives.WriteUInt32BigEndian(p[12..], transaction);
        r.InfoHash.AsSpan(0, 20).CopyTo(p[16..]);
        r.PeerId.AsSpan(0, 20).CopyTo(p[36..]);
        BinaryPrimitives.WriteInt64BigEndian(p[56..], r.Downloaded);
        BinaryPrimitives.WriteInt64BigEndian(p[64..], r.Left);
        BinaryPrimitives.WriteInt64BigEndian(p[72..], r.Uploaded);
        BinaryPrimitives.WriteInt32BigEndian(p[80..], (int)r.Event);
        BinaryPrimitives.WriteUInt32BigEndian(p[84..], 0);          // IP: the sender's
        BinaryPrimitives.WriteUInt32BigEndian(p[88..], r.Key);
        BinaryPrimitives.WriteInt32BigEndian(p[92..], r.NumWant);
        BinaryPrimitives.WriteUInt16BigEndian(p[96..], (ushort)r.Port);
        return AnnounceLength;
    }

    public static int WriteScrape(Span<byte> p, long connectionId, uint transaction, ReadOnlySpan<byte> infoHash)
    {
        BinaryPrimitives.WriteInt64BigEndian(p, connectionId);
        BinaryPrimitives.WriteInt32BigEndian(p[8..], Scrape);
        BinaryPrimitives.WriteUInt32BigEndian(p[12..], transaction);
        infoHash[..20].CopyTo(p[16..]);
        return 36;
    }

    public static int ActionOf(ReadOnlySpan<byte> reply) => BinaryPrimitives.ReadInt32BigEndian(reply);
    public static uint TransactionOf(ReadOnlySpan<byte> reply) => BinaryPrimitives.ReadUInt32BigEndian(reply[4..]);

    /// <summary>Throws the tracker's error text, or a size/action failure, unless the reply is <paramref name="action"/>.</summary>
    public static void Expect(ReadOnlySpan<byte> reply, int action, int minLength)
    {
        int got = ActionOf(reply);
        if (got == Error)
            throw new TrackerFailure(TrackerFailure.FailureReason, "tracker sent a failure message: " + Encoding.UTF8.GetString(reply[8..]).TrimEnd('\0'));
        if (got != action)
            throw new TrackerFailure(TrackerFailure.UdpBadAction, $"invalid action field in udp tracker response ({got}, expected {action})");
        if (reply.Length < minLength)
            throw new TrackerFailure(TrackerFailure.UdpInvalidSize, $"udp tracker response packet has invalid size ({reply.Length} bytes)");
    }

    public static long ReadConnectionId(ReadOnlySpan<byte> reply)
    {
        Expect(reply, Connect, 16);
        return BinaryPrimitives.ReadInt64BigEndian(reply[8..]);
    }

    /// <summary>The announce reply; peers are 6-byte entries from an IPv4 tracker, 18-byte from an IPv6 one.</summary>
    public static AnnounceResult ReadAnnounce(ReadOnlySpan<byte> reply, AddressFamily family)
    {
        Expect(reply, Announce, 20);
        int entry = family == AddressFamily.InterNetworkV6 ? CompactEndpoints.V6Length : CompactEndpoints.V4Length;
        var peers = new List<IPEndPoint>();
        var body = reply[20..];
        body = body[..(body.Length - body.Length % entry)];
        CompactEndpoints.TryReadList(body, family, int.MaxValue, peers);
        peers.RemoveAll(static p => p.Port == 0);
        return new AnnounceResult
        {
            Interval = Math.Clamp(BinaryPrimitives.ReadInt32BigEndian(reply[8..]), 0, 7 * 24 * 3600),
            Incomplete = Math.Max(-1, BinaryPrimitives.ReadInt32BigEndian(reply[12..])),
            Complete = Math.Max(-1, BinaryPrimitives.ReadInt32BigEndian(reply[16..])),
            Peers = peers,
        };
    }

    public static ScrapeResult ReadScrape(ReadOnlySpan<byte> reply)
    {
        Expect(reply, Scrape, 20);
        return new ScrapeResult(
            Complete: BinaryPrimitives.ReadInt32BigEndian(reply[8..]),
            Incomplete: BinaryPrimitives.ReadInt32BigEndian(reply[16..]),
            Downloaded: BinaryPrimitives.ReadInt32BigEndian(reply[12..]));
    }
}
