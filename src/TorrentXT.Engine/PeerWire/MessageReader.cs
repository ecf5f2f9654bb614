// SPDX-License-Identifier: MIT
using System.Buffers.Binary;

namespace TorrentXT.Engine.PeerWire;

/// <summary>
/// Splits the byte stream after the handshake into messages. Pure: it looks at the bytes received so
/// far and either asks for more or decodes exactly one message. Lengths are judged as soon as the
/// prefix and id are present, so an oversized or malformed message is refused before its body is
/// buffered. Only <see cref="PeerWireException"/> escapes for bad input.
/// </summary>
public static class MessageReader
{
    public static ReadResult TryRead(ReadOnlySpan<byte> buffer, out PeerMessage message) =>
        TryRead(buffer, WireLimits.Default, out message);

    public static ReadResult TryRead(ReadOnlySpan<byte> buffer, WireLimits limits, out PeerMessage message)
    {
        message = default;
        if (buffer.Length < WireSizes.LengthPrefix) return ReadResult.NeedMore(WireSizes.LengthPrefix - buffer.Length);
        uint declared = BinaryPrimitives.ReadUInt32BigEndian(buffer);
        if (declared == 0)
        {
            message = new PeerMessage { Kind = MessageKind.KeepAlive };
            return new ReadResult(WireSizes.LengthPrefix, 0);
        }
        if (declared > (uint)limits.MaxAnyLength)
            throw new PeerWireException(PeerWireError.MessageTooLarge, $"packet too large: declared length {declared}");
        int length = (int)declared;
        if (buffer.Length == WireSizes.LengthPrefix) return ReadResult.NeedMore(length);

        byte id = buffer[WireSizes.LengthPrefix];
        MessageKind kind = KindOf(id);
        CheckLength(kind, id, length, limits);
        int frame = WireSizes.LengthPrefix + length;
        if (buffer.Length < frame) return ReadResult.NeedMore(frame - buffer.Length);

        message = Decode(kind, id, buffer.Slice(WireSizes.LengthPrefix + 1, length - 1));
        return new ReadResult(frame, 0);
    }

    private static MessageKind KindOf(byte id) => id switch
    {
        <= 9 or (>= 13 and <= 17) or (>= 20 and <= 23) => (MessageKind)id,
        _ => MessageKind.Unknown,
    };

    private static void CheckLength(MessageKind kind, byte id, int length, WireLimits limits)
    {
        (int min, int max) = kind switch
        {
            MessageKind.Choke or MessageKind.Unchoke or MessageKind.Interested or MessageKind.NotInterested
                or MessageKind.HaveAll or MessageKind.HaveNone => (WireSizes.IdOnly, WireSizes.IdOnly),
            MessageKind.Have or MessageKind.Suggest or MessageKind.AllowedFast => (WireSizes.IndexMessage, WireSizes.IndexMessage),
            MessageKind.Request or MessageKind.Cancel or MessageKind.RejectRequest => (WireSizes.BlockRequest, WireSizes.BlockRequest),
            MessageKind.Port => (WireSizes.Port, WireSizes.Port),
            MessageKind.HashRequest or MessageKind.HashReject => (WireSizes.HashRequest, WireSizes.HashRequest),
            MessageKind.Bitfield => (WireSizes.IdOnly, limits.MaxBitfieldLength),
            MessageKind.Piece => (WireSizes.PieceHeader, limits.MaxPieceLength),
            MessageKind.Extended => (WireSizes.ExtendedHeader, limits.MaxExtendedLength),
            MessageKind.Hashes => (WireSizes.HashRequest, limits.MaxHashesLength),
            _ => (WireSizes.IdOnly, limits.MaxUnknownLength),
        };
        if (length > max && max > min)
            throw new PeerWireException(PeerWireError.MessageTooLarge, $"packet too large: {Name(kind, id)} of declared length {length}, limit {max}");
        if (length < min || length > max)
            throw new PeerWireException(PeerWireError.InvalidMessageLength, $"invalid {Name(kind, id)} message: declared length {length}");
        if (kind == MessageKind.Hashes && (length - WireSizes.HashRequest) % WireSizes.Sha256 != 0)
            throw new PeerWireException(PeerWireError.InvalidMessageLength, $"invalid Hashes message: {length - WireSizes.HashRequest} hash bytes is not a multiple of 32");
    }

    /// <summary>Only built on the error path, so reading stays allocation-free.</summary>
    private static string Name(MessageKind kind, byte id) => kind == MessageKind.Unknown ? $"message id {id}" : kind.ToString();

    private static PeerMessage Decode(MessageKind kind, byte id, ReadOnlySpan<byte> body)
    {
        switch (kind)
        {
            case MessageKind.Have or MessageKind.Suggest or MessageKind.AllowedFast:
                return new PeerMessage { Kind = kind, RawId = id, Index = ReadIndex(body, 0, kind) };
            case MessageKind.Request or MessageKind.Cancel or MessageKind.RejectRequest:
                return new PeerMessage
                {
                    Kind = kind, RawId = id,
                    Index = ReadIndex(body, 0, kind), Begin = ReadIndex(body, 4, kind), Length = ReadIndex(body, 8, kind),
                };
            case MessageKind.Piece:
                return new PeerMessage
                {
                    Kind = kind, RawId = id,
                    Index = ReadIndex(body, 0, kind), Begin = ReadIndex(body, 4, kind), Length = body.Length - 8,
                    Payload = body[8..],
                };
            case MessageKind.Port:
                return new PeerMessage { Kind = kind, RawId = id, Port = BinaryPrimitives.ReadUInt16BigEndian(body) };
            case MessageKind.Bitfield:
                return new PeerMessage { Kind = kind, RawId = id, Payload = body };
            case MessageKind.Extended:
                return new PeerMessage { Kind = kind, RawId = id, ExtendedId = body[0], Payload = body[1..] };
            case MessageKind.HashRequest or MessageKind.Hashes or MessageKind.HashReject:
                return new PeerMessage
                {
                    Kind = kind, RawId = id,
                    PiecesRoot = body[..WireSizes.Sha256],
                    BaseLayer = ReadIndex(body, 32, kind), Index = ReadIndex(body, 36, kind),
                    Length = ReadIndex(body, 40, kind), ProofLayers = ReadIndex(body, 44, kind),
                    Payload = body[48..],
                };
            case MessageKind.Unknown:
                return new PeerMessage { Kind = kind, RawId = id, Payload = body };
            default: // the id-only messages
                return new PeerMessage { Kind = kind, RawId = id };
        }
    }

    /// <summary>Indices, offsets and lengths are u32 on the wire but never legitimately above int.MaxValue.</summary>
    private static int ReadIndex(ReadOnlySpan<byte> body, int offset, MessageKind kind)
    {
        uint v = BinaryPrimitives.ReadUInt32BigEndian(body[offset..]);
        if (v > int.MaxValue)
            throw new PeerWireException(PeerWireError.InvalidMessageField, $"invalid {kind} message: field value {v} out of range");
        return (int)v;
    }
}
