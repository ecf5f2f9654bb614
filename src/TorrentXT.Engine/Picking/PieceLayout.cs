// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Picking;

/// <summary>
/// The geometry the picker works in: pieces of one length except a possibly shorter last piece, cut
/// into 16 KiB blocks of which the last one of a piece may be short.
/// </summary>
public sealed class PieceLayout
{
    /// <summary>The request unit every client uses (BEP 3): 16 KiB.</summary>
    public const int BlockSize = 16 * 1024;

    public int PieceCount { get; }
    public int PieceLength { get; }
    public int LastPieceLength { get; }
    /// <summary>Blocks in every piece but the last.</summary>
    public int BlocksPerPiece { get; }
    public long TotalSize => (long)(PieceCount - 1) * PieceLength + LastPieceLength;

    public PieceLayout(int pieceCount, int pieceLength, int lastPieceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lastPieceLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lastPieceLength, pieceLength);
        PieceCount = pieceCount;
        PieceLength = pieceLength;
        LastPieceLength = lastPieceLength;
        BlocksPerPiece = Blocks(pieceLength);
    }

    /// <summary>The layout of <paramref name="totalSize"/> bytes cut into pieces of <paramref name="pieceLength"/>.</summary>
    public static PieceLayout FromTotalSize(long totalSize, int pieceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceLength);
        long count = (totalSize + pieceLength - 1) / pieceLength;
        if (count > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(totalSize));
        int last = (int)(totalSize - (count - 1) * pieceLength);
        return new PieceLayout((int)count, pieceLength, last);
    }

    public static PieceLayout From(FileStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return new PieceLayout(storage.NumPieces, storage.PieceLength, storage.PieceSize(storage.NumPieces - 1));
    }

    public int PieceSize(int piece) => piece == PieceCount - 1 ? LastPieceLength : PieceLength;

    public int BlockCount(int piece) => piece == PieceCount - 1 ? Blocks(LastPieceLength) : BlocksPerPiece;

    public int BlockLength(int piece, int block)
    {
        int size = PieceSize(piece);
        return Math.Min(BlockSize, size - block * BlockSize);
    }

    public BlockRequest Request(int piece, int block) =>
        new(piece, block * BlockSize, BlockLength(piece, block));

    /// <summary>True when (piece, offset, length) is exactly one of our blocks.</summary>
    public bool IsBlock(int piece, int offset, int length) =>
        (uint)piece < (uint)PieceCount && offset >= 0 && offset % BlockSize == 0 &&
        offset < PieceSize(piece) && length == BlockLength(piece, offset / BlockSize);

    private static int Blocks(int bytes) => (bytes + BlockSize - 1) / BlockSize;
}
