// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.PeerWire;

/// <summary>A decoded handshake; the spans are slices of the buffer it was read from.</summary>
public readonly ref struct HandshakeView
{
    public PeerReserved Reserved { get; }
    /// <summary>20 bytes: the v1 info-hash or the truncated v2 one.</summary>
    public ReadOnlySpan<byte> InfoHash { get; }
    /// <summary>20 bytes, or empty when only the 48-byte prefix was read.</summary>
    public ReadOnlySpan<byte> PeerId { get; }

    internal HandshakeView(PeerReserved reserved, ReadOnlySpan<byte> infoHash, ReadOnlySpan<byte> peerId)
    {
        Reserved = reserved;
        InfoHash = infoHash;
        PeerId = peerId;
    }
}

/// <summary>
/// The BEP 3 handshake: pstrlen 19, "BitTorrent protocol", 8 reserved bytes, 20-byte info-hash,
/// 20-byte peer id (68 bytes). A receiver may answer after the first 48 bytes (it then knows which
/// torrent is wanted), so reading comes in a prefix form and a full form.
/// </summary>
public static class Handshake
{
    public const int Length = 68;
    /// <summary>pstrlen + pstr + reserved + info-hash: enough to pick the torrent.</summary>
    public const int PrefixLength = 48;
    public const int IdLength = 20;

    private const int ReservedOffset = 20;
    private const int InfoHashOffset = 28;
    private const int PeerIdOffset = 48;

    public static ReadOnlySpan<byte> ProtocolString => "BitTorrent protocol"u8;

    /// <summary>Writes the 68-byte handshake; returns 68.</summary>
    public static int Write(Span<byte> destination, PeerReserved reserved, ReadOnlySpan<byte> infoHash, ReadOnlySpan<byte> peerId)
    {
        if (infoHash.Length != IdLength) throw new ArgumentException("an info-hash in a handshake is 20 bytes", nameof(infoHash));
        if (peerId.Length != IdLength) throw new ArgumentException("a peer id is 20 bytes", nameof(peerId));
        if (destination.Length < Length) throw new ArgumentException("the destination needs 68 bytes", nameof(destination));
        destination[0] = (byte)ProtocolString.Length;
        ProtocolString.CopyTo(destination[1..]);
        reserved.Write(destination.Slice(ReservedOffset, PeerReserved.Length));
        infoHash.CopyTo(destination[InfoHashOffset..]);
        peerId.CopyTo(destination[PeerIdOffset..]);
        return Length;
    }

    /// <summary>
    /// Reads the first 48 bytes. Returns false with <paramref name="needed"/> &gt; 0 when more bytes are
    /// required. Throws <see cref="PeerWireException"/> as soon as the bytes present cannot be a
    /// handshake, so an encrypted (MSE) or foreign stream is recognised after its first byte.
    /// </summary>
    public static bool TryReadPrefix(ReadOnlySpan<byte> buffer, out HandshakeView handshake, out int needed) =>
        TryRead(buffer, PrefixLength, out handshake, out needed);

    /// <summary>Reads the full 68-byte handshake; see <see cref="TryReadPrefix"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out HandshakeView handshake, out int needed) =>
        TryRead(buffer, Length, out handshake, out needed);

    /// <summary>True while the bytes so far could still be a plain BitTorrent handshake.</summary>
    public static bool IsPlausiblePrefix(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length == 0) return true;
        if (buffer[0] != ProtocolString.Length) return false;
        int n = Math.Min(buffer.Length - 1, ProtocolString.Length);
        return buffer.Slice(1, n).SequenceEqual(ProtocolString[..n]);
    }

    private static bool TryRead(ReadOnlySpan<byte> buffer, int want, out HandshakeView handshake, out int needed)
    {
        if (!IsPlausiblePrefix(buffer))
        {
            string what = buffer[0] != ProtocolString.Length
                ? $"invalid handshake: protocol string length {buffer[0]}, expected 19"
                : "invalid handshake: protocol string is not \"BitTorrent protocol\"";
            throw new PeerWireException(PeerWireError.InvalidHandshake, what);
        }
        if (buffer.Length < want)
        {
            handshake = default;
            needed = want - buffer.Length;
            return false;
        }
        needed = 0;
        handshake = new HandshakeView(
            PeerReserved.Read(buffer.Slice(ReservedOffset, PeerReserved.Length)),
            buffer.Slice(InfoHashOffset, IdLength),
            want == Length ? buffer.Slice(PeerIdOffset, IdLength) : default);
        return true;
    }
}
