// SPDX-License-Identifier: MIT
using System.Buffers.Binary;

namespace TorrentXT.Engine.PeerWire;

/// <summary>
/// Writes framed messages (u32 length prefix included) into a caller's span and returns the bytes
/// written. The SizeOf helpers give the frame size up front so a send buffer can be reserved. The
/// header-only writers (<see cref="WritePieceHeader"/>, <see cref="WriteExtendedHeader"/>,
/// <see cref="WriteHashesHeader"/>) let a large payload go out from its own buffer without a copy.
/// </summary>
public static class MessageWriter
{
    public const int KeepAliveSize = WireSizes.LengthPrefix;
    public const int IdOnlySize = WireSizes.LengthPrefix + WireSizes.IdOnly;
    public const int IndexMessageSize = WireSizes.LengthPrefix + WireSizes.IndexMessage;
    public const int BlockRequestSize = WireSizes.LengthPrefix + WireSizes.BlockRequest;
    public const int PortSize = WireSizes.LengthPrefix + WireSizes.Port;
    public const int PieceHeaderSize = WireSizes.LengthPrefix + WireSizes.PieceHeader;
    public const int ExtendedHeaderSize = WireSizes.LengthPrefix + WireSizes.ExtendedHeader;
    public const int HashRequestSize = WireSizes.LengthPrefix + WireSizes.HashRequest;

    public static int SizeOfBitfield(int bitfieldBytes) => IdOnlySize + bitfieldBytes;
    public static int SizeOfPiece(int blockLength) => PieceHeaderSize + blockLength;
    public static int SizeOfExtended(int payloadLength) => ExtendedHeaderSize + payloadLength;
    public static int SizeOfHashes(int hashCount) => HashRequestSize + hashCount * WireSizes.Sha256;

    /// <summary>The frame size of any message kind; <paramref name="payloadLength"/> is the variable part in bytes.</summary>
    public static int SizeOf(MessageKind kind, int payloadLength = 0) => kind switch
    {
        MessageKind.KeepAlive => KeepAliveSize,
        MessageKind.Choke or MessageKind.Unchoke or MessageKind.Interested or MessageKind.NotInterested
            or MessageKind.HaveAll or MessageKind.HaveNone => IdOnlySize,
        MessageKind.Have or MessageKind.Suggest or MessageKind.AllowedFast => IndexMessageSize,
        MessageKind.Request or MessageKind.Cancel or MessageKind.RejectRequest => BlockRequestSize,
        MessageKind.Port => PortSize,
        MessageKind.HashRequest or MessageKind.HashReject => HashRequestSize,
        MessageKind.Bitfield => SizeOfBitfield(payloadLength),
        MessageKind.Piece => SizeOfPiece(payloadLength),
        MessageKind.Extended => SizeOfExtended(payloadLength),
        MessageKind.Hashes => HashRequestSize + payloadLength,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no wire form"),
    };

    public static int WriteKeepAlive(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Room(destination, KeepAliveSize), 0);
        return KeepAliveSize;
    }

    /// <summary>Choke, unchoke, interested, not interested, have all, have none.</summary>
    public static int WriteIdOnly(Span<byte> destination, MessageKind kind)
    {
        if (kind is not (MessageKind.Choke or MessageKind.Unchoke or MessageKind.Interested or MessageKind.NotInterested
            or MessageKind.HaveAll or MessageKind.HaveNone))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an id-only message");
        Header(destination, IdOnlySize, kind);
        return IdOnlySize;
    }

    public static int WriteChoke(Span<byte> destination) => WriteIdOnly(destination, MessageKind.Choke);
    public static int WriteUnchoke(Span<byte> destination) => WriteIdOnly(destination, MessageKind.Unchoke);
    public static int WriteInterested(Span<byte> destination) => WriteIdOnly(destination, MessageKind.Interested);
    public static int WriteNotInterested(Span<byte> destination) => WriteIdOnly(destination, MessageKind.NotInterested);
    public static int WriteHaveAll(Span<byte> destination) => WriteIdOnly(destination, MessageKind.HaveAll);
    public static int WriteHaveNone(Span<byte> destination) => WriteIdOnly(destination, MessageKind.HaveNone);

    public static int WriteHave(Span<byte> destination, int piece) => WriteIndexMessage(destination, MessageKind.Have, piece);
    public static int WriteSuggest(Span<byte> destination, int piece) => WriteIndexMessage(destination, MessageKind.Suggest, piece);
    public static int WriteAllowedFast(Span<byte> destination, int piece) => WriteIndexMessage(destination, MessageKind.AllowedFast, piece);

    public static int WriteRequest(Span<byte> destination, int piece, int begin, int length) =>
        WriteBlockRequest(destination, MessageKind.Request, piece, begin, length);
    public static int WriteCancel(Span<byte> destination, int piece, int begin, int length) =>
        WriteBlockRequest(destination, MessageKind.Cancel, piece, begin, length);
    public static int WriteRejectRequest(Span<byte> destination, int piece, int begin, int length) =>
        WriteBlockRequest(destination, MessageKind.RejectRequest, piece, begin, length);

    public static int WriteBitfield(Span<byte> destination, ReadOnlySpan<byte> bitfield)
    {
        int size = SizeOfBitfield(bitfield.Length);
        Header(destination, size, MessageKind.Bitfield);
        bitfield.CopyTo(destination[IdOnlySize..]);
        return size;
    }

    public static int WritePiece(Span<byte> destination, int piece, int begin, ReadOnlySpan<byte> block)
    {
        int size = SizeOfPiece(block.Length);
        Room(destination, size);
        WritePieceHeader(destination, piece, begin, block.Length);
        block.CopyTo(destination[PieceHeaderSize..]);
        return size;
    }

    /// <summary>The 13 bytes before a block of <paramref name="blockLength"/> bytes, which the caller sends next.</summary>
    public static int WritePieceHeader(Span<byte> destination, int piece, int begin, int blockLength)
    {
        Header(destination, SizeOfPiece(NonNegative(blockLength, nameof(blockLength))), MessageKind.Piece, PieceHeaderSize);
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], NonNegative(piece, nameof(piece)));
        BinaryPrimitives.WriteInt32BigEndian(destination[9..], NonNegative(begin, nameof(begin)));
        return PieceHeaderSize;
    }

    public static int WritePort(Span<byte> destination, ushort port)
    {
        Header(destination, PortSize, MessageKind.Port);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], port);
        return PortSize;
    }

    public static int WriteExtended(Span<byte> destination, byte extendedId, ReadOnlySpan<byte> payload)
    {
        int size = SizeOfExtended(payload.Length);
        Room(destination, size);
        WriteExtendedHeader(destination, extendedId, payload.Length);
        payload.CopyTo(destination[ExtendedHeaderSize..]);
        return size;
    }

    /// <summary>The 6 bytes before an extended payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int WriteExtendedHeader(Span<byte> destination, byte extendedId, int payloadLength)
    {
        Header(destination, SizeOfExtended(NonNegative(payloadLength, nameof(payloadLength))), MessageKind.Extended, ExtendedHeaderSize);
        destination[5] = extendedId;
        return ExtendedHeaderSize;
    }

    public static int WriteHashRequest(Span<byte> destination, ReadOnlySpan<byte> piecesRoot, int baseLayer, int index, int length, int proofLayers) =>
        WriteHashHeader(destination, MessageKind.HashRequest, HashRequestSize, piecesRoot, baseLayer, index, length, proofLayers);

    public static int WriteHashReject(Span<byte> destination, ReadOnlySpan<byte> piecesRoot, int baseLayer, int index, int length, int proofLayers) =>
        WriteHashHeader(destination, MessageKind.HashReject, HashRequestSize, piecesRoot, baseLayer, index, length, proofLayers);

    /// <summary>A hashes message: the request's fields followed by the hashes (a multiple of 32 bytes).</summary>
    public static int WriteHashes(Span<byte> destination, ReadOnlySpan<byte> piecesRoot, int baseLayer, int index, int length, int proofLayers, ReadOnlySpan<byte> hashes)
    {
        int size = HashesFrameSize(hashes.Length);
        Room(destination, size);
        WriteHashHeader(destination, MessageKind.Hashes, size, piecesRoot, baseLayer, index, length, proofLayers);
        hashes.CopyTo(destination[HashRequestSize..]);
        return size;
    }

    /// <summary>The 53 bytes before <paramref name="hashBytes"/> bytes of hashes, which the caller sends next.</summary>
    public static int WriteHashesHeader(Span<byte> destination, ReadOnlySpan<byte> piecesRoot, int baseLayer, int index, int length, int proofLayers, int hashBytes) =>
        WriteHashHeader(destination, MessageKind.Hashes, HashesFrameSize(hashBytes), piecesRoot, baseLayer, index, length, proofLayers);

    private static int HashesFrameSize(int hashBytes)
    {
        if (hashBytes < 0 || hashBytes % WireSizes.Sha256 != 0)
            throw new ArgumentOutOfRangeException(nameof(hashBytes), hashBytes, "hashes are a whole number of 32-byte SHA-256 values");
        return HashRequestSize + hashBytes;
    }

    private static int WriteHashHeader(Span<byte> destination, MessageKind kind, int frameSize, ReadOnlySpan<byte> piecesRoot,
        int baseLayer, int index, int length, int proofLayers)
    {
        if (piecesRoot.Length != WireSizes.Sha256) throw new ArgumentException("a pieces root is 32 bytes", nameof(piecesRoot));
        Header(destination, frameSize, kind, HashRequestSize);
        piecesRoot.CopyTo(destination[5..]);
        BinaryPrimitives.WriteInt32BigEndian(destination[37..], NonNegative(baseLayer, nameof(baseLayer)));
        BinaryPrimitives.WriteInt32BigEndian(destination[41..], NonNegative(index, nameof(index)));
        BinaryPrimitives.WriteInt32BigEndian(destination[45..], NonNegative(length, nameof(length)));
        BinaryPrimitives.WriteInt32BigEndian(destination[49..], NonNegative(proofLayers, nameof(proofLayers)));
        return HashRequestSize;
    }

    private static int WriteIndexMessage(Span<byte> destination, MessageKind kind, int piece)
    {
        Header(destination, IndexMessageSize, kind);
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], NonNegative(piece, nameof(piece)));
        return IndexMessageSize;
    }

    private static int WriteBlockRequest(Span<byte> destination, MessageKind kind, int piece, int begin, int length)
    {
        Header(destination, BlockRequestSize, kind);
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], NonNegative(piece, nameof(piece)));
        BinaryPrimitives.WriteInt32BigEndian(destination[9..], NonNegative(begin, nameof(begin)));
        BinaryPrimitives.WriteInt32BigEndian(destination[13..], NonNegative(length, nameof(length)));
        return BlockRequestSize;
    }

    /// <summary>Writes the prefix (declaring <paramref name="frameSize"/> - 4) and the id; checks room for <paramref name="written"/> bytes.</summary>
    private static void Header(Span<byte> destination, int frameSize, MessageKind kind, int written = -1)
    {
        Room(destination, written < 0 ? frameSize : written);
        BinaryPrimitives.WriteInt32BigEndian(destination, frameSize - WireSizes.LengthPrefix);
        destination[WireSizes.LengthPrefix] = (byte)kind;
    }

    private static Span<byte> Room(Span<byte> destination, int size) =>
        destination.Length >= size ? destination : throw new ArgumentException($"the destination needs {size} bytes, it has {destination.Length}", nameof(destination));

    private static int NonNegative(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, "must not be negative");
}
