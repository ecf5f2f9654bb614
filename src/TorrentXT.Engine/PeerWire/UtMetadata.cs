// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.PeerWire;

/// <summary>BEP 9 ut_metadata message types. Other values are possible on the wire and must be ignored.</summary>
public enum MetadataMessageType
{
    Request = 0,
    Data = 1,
    Reject = 2,
}

/// <summary>A decoded ut_metadata message; <see cref="Block"/> is a slice of the payload (data messages only).</summary>
public readonly ref struct MetadataMessage
{
    /// <summary>The msg_type; a value outside 0..2 is a newer message the receiver must ignore (BEP 9).</summary>
    public MetadataMessageType Type { get; init; }
    public int Piece { get; init; }
    /// <summary>total_size of a data message; -1 otherwise.</summary>
    public long TotalSize { get; init; }
    public ReadOnlySpan<byte> Block { get; init; }

    public bool IsKnownType => Type is MetadataMessageType.Request or MetadataMessageType.Data or MetadataMessageType.Reject;
}

/// <summary>
/// BEP 9 ut_metadata payloads (what goes inside an extended message under the peer's ut_metadata id):
/// a bencoded dictionary {msg_type, piece[, total_size]}, followed for data messages by the raw
/// metadata block of up to 16 KiB.
/// </summary>
public static class UtMetadata
{
    public const string ExtensionName = "ut_metadata";
    /// <summary>The metadata piece size fixed by BEP 9.</summary>
    public const int BlockSize = WireSizes.BlockSize;
    /// <summary>libtorrent's default for the max_metadata_size setting (30 MiB).</summary>
    public const int DefaultMaxMetadataSize = 30 * 1024 * 1024;

    private const string What = "ut_metadata message";
    private const PeerWireError Error = PeerWireError.InvalidMetadataMessage;

    /// <summary>Number of 16 KiB pieces of a metadata blob of <paramref name="totalSize"/> bytes.</summary>
    public static int PieceCount(long totalSize) => (int)((totalSize + BlockSize - 1) / BlockSize);

    /// <summary>Size of piece <paramref name="piece"/>: 16 KiB except for the last one.</summary>
    public static int PieceSize(long totalSize, int piece) => (int)Math.Min(BlockSize, totalSize - (long)piece * BlockSize);

    public static byte[] EncodeRequest(int piece) => Encode(MetadataMessageType.Request, piece, null, default);

    public static byte[] EncodeReject(int piece) => Encode(MetadataMessageType.Reject, piece, null, default);

    public static byte[] EncodeData(int piece, long totalSize, ReadOnlySpan<byte> block)
    {
        if (block.Length > BlockSize) throw new ArgumentException("a metadata block is at most 16 KiB", nameof(block));
        return Encode(MetadataMessageType.Data, piece, totalSize, block);
    }

    /// <summary>Decodes a ut_metadata payload. The returned block is a slice of <paramref name="payload"/>.</summary>
    public static MetadataMessage Decode(ReadOnlyMemory<byte> payload)
    {
        var dict = BencodedPayload.Dictionary(payload, Error, What, out int consumed);
        long type = BencodedPayload.Integer(dict, "msg_type", long.MinValue, long.MaxValue, Error, What)
            ?? throw new PeerWireException(Error, "invalid ut_metadata message: no 'msg_type'");
        if (type is < 0 or > 2)
        {
            // A message type from a later revision: nothing else about it can be assumed.
            int unknownPiece = dict.GetInteger("piece") is long p and >= 0 and <= int.MaxValue ? (int)p : -1;
            return new MetadataMessage { Type = (MetadataMessageType)(int)Math.Clamp(type, int.MinValue, int.MaxValue), Piece = unknownPiece, TotalSize = -1 };
        }
        long piece = BencodedPayload.Integer(dict, "piece", 0, int.MaxValue, Error, What)
            ?? throw new PeerWireException(Error, "invalid ut_metadata message: no 'piece'");
        var kind = (MetadataMessageType)type;
        if (kind != MetadataMessageType.Data)
            return new MetadataMessage { Type = kind, Piece = (int)piece, TotalSize = -1 };

        long total = BencodedPayload.Integer(dict, "total_size", 1, long.MaxValue, Error, What)
            ?? throw new PeerWireException(Error, "invalid ut_metadata message: data without 'total_size'");
        var block = payload.Span[consumed..];
        if (block.Length > BlockSize)
            throw new PeerWireException(Error, $"invalid ut_metadata message: a data block of {block.Length} bytes");
        return new MetadataMessage { Type = kind, Piece = (int)piece, TotalSize = total, Block = block };
    }

    private static byte[] Encode(MetadataMessageType type, int piece, long? totalSize, ReadOnlySpan<byte> block)
    {
        if (piece < 0) throw new ArgumentOutOfRangeException(nameof(piece), piece, "must not be negative");
        // Keys in sorted order: msg_type < piece < total_size.
        var w = new BencodeWriter(64 + block.Length);
        w.BeginDictionary();
        w.String("msg_type"u8).Integer((long)type);
        w.String("piece"u8).Integer(piece);
        if (totalSize is { } t) w.String("total_size"u8).Integer(t);
        w.End();
        w.RawValue(block); // the block is raw bytes after the dictionary, not a bencoded value
        return w.ToArray();
    }
}
