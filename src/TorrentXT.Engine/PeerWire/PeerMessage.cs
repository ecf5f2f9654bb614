// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.PeerWire;

/// <summary>
/// One decoded message. Which members are meaningful depends on <see cref="Kind"/>; the spans are
/// slices of the receive buffer (nothing is copied), so use them before that buffer is reused.
/// </summary>
public readonly ref struct PeerMessage
{
    public MessageKind Kind { get; init; }
    /// <summary>The id byte as received (also for <see cref="MessageKind.Unknown"/>); 0 for keep-alive.</summary>
    public byte RawId { get; init; }
    /// <summary>Piece index: have, request, piece, cancel, suggest, reject, allowed fast; node index for hash messages.</summary>
    public int Index { get; init; }
    /// <summary>Byte offset inside the piece: request, piece, cancel, reject.</summary>
    public int Begin { get; init; }
    /// <summary>Block length: request, cancel, reject; number of hashes: hash request, hashes, hash reject.</summary>
    public int Length { get; init; }
    /// <summary>DHT port of a port message.</summary>
    public ushort Port { get; init; }
    /// <summary>The extended message id of an <see cref="MessageKind.Extended"/> message (0 = extension handshake).</summary>
    public byte ExtendedId { get; init; }
    /// <summary>Bitfield bytes, piece block, extended payload, concatenated hashes, or an unknown message's body.</summary>
    public ReadOnlySpan<byte> Payload { get; init; }
    /// <summary>BEP 52 hash messages: the 32-byte root of the file's piece tree.</summary>
    public ReadOnlySpan<byte> PiecesRoot { get; init; }
    /// <summary>BEP 52 hash messages: the tree layer of the requested hashes (0 = leaf blocks).</summary>
    public int BaseLayer { get; init; }
    /// <summary>BEP 52 hash messages: how many layers of uncle hashes accompany them.</summary>
    public int ProofLayers { get; init; }
}

/// <summary>
/// The outcome of one read: either a message was decoded and <see cref="Consumed"/> bytes can be
/// dropped, or <see cref="Needed"/> more bytes must arrive before another attempt can succeed.
/// </summary>
public readonly record struct ReadResult(int Consumed, int Needed)
{
    public bool HasMessage => Consumed > 0;

    internal static ReadResult NeedMore(int needed) => new(0, needed);
}
