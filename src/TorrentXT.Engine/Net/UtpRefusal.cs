// SPDX-License-Identifier: MIT
using System.Buffers.Binary;

namespace TorrentXT.Engine.Net;

/// <summary>
/// We speak BitTorrent over TCP only. libtorrent, with its defaults, dials a peer over uTP (BEP 29)
/// first and falls back to TCP only when that fails; a uTP SYN that gets no answer costs it its
/// 3 s uTP connect timeout per peer. So a uTP SYN reaching our UDP port (the DHT's, which is the
/// listen port) is answered with a uTP RESET for its connection: the dialler fails at once and
/// comes back over TCP. Reflection is 1:1 in size (20 bytes for 20), and the caller applies its
/// flood guard first.
/// </summary>
public static class UtpRefusal
{
    public const int HeaderLength = 20;
    private const byte SynVersion1 = 0x41;   // type ST_SYN (4) << 4 | version 1
    private const byte ResetVersion1 = 0x31; // type ST_RESET (3) << 4 | version 1

    /// <summary>Whether <paramref name="packet"/> is a uTP version 1 SYN (KRPC messages start with 'd').</summary>
    public static bool IsSyn(ReadOnlySpan<byte> packet) => packet.Length >= HeaderLength && packet[0] == SynVersion1;

    /// <summary>
    /// Writes the RESET answering <paramref name="syn"/> into <paramref name="reset"/> (20 bytes):
    /// the SYN's connection id (the one a receiver sends with), our timestamp and the delay we saw,
    /// a zero window, and an ack of the SYN's sequence number.
    /// </summary>
    public static void WriteReset(ReadOnlySpan<byte> syn, Span<byte> reset, uint nowMicros)
    {
        if (!IsSyn(syn)) throw new ArgumentException("not a uTP SYN", nameof(syn));
        if (reset.Length < HeaderLength) throw new ArgumentException("a RESET is 20 bytes", nameof(reset));
        uint theirTimestamp = BinaryPrimitives.ReadUInt32BigEndian(syn[4..]);
        reset[0] = ResetVersion1;
        reset[1] = 0; // no extensions
        syn.Slice(2, 2).CopyTo(reset[2..]); // connection id
        BinaryPrimitives.WriteUInt32BigEndian(reset[4..], nowMicros);
        BinaryPrimitives.WriteUInt32BigEndian(reset[8..], unchecked(nowMicros - theirTimestamp));
        BinaryPrimitives.WriteUInt32BigEndian(reset[12..], 0); // window
        BinaryPrimitives.WriteUInt16BigEndian(reset[16..], (ushort)Random.Shared.Next(65536)); // our seq_nr
        syn.Slice(16, 2).CopyTo(reset[18..]); // ack_nr = their seq_nr
    }
}
