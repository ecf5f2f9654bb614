// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Hashing;

/// <summary>
/// The geometry shared by torrent creation and checking: the files (pads included) laid end to end,
/// cut into pieces of one length. v2 pieces are file-aligned, so each v2 piece belongs to the one
/// non-pad file that contains the piece's first byte.
/// </summary>
internal sealed class PieceSpace
{
    private readonly long[] _ends;

    public PieceSpace(StorageSegment[] segments, int pieceLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pieceLength, 1);
        Segments = segments;
        PieceLength = pieceLength;
        _ends = new long[segments.Length];
        long offset = 0;
        for (int i = 0; i < segments.Length; i++)
        {
            if (segments[i].Offset != offset) throw new ArgumentException("segments must be contiguous and in offset order", nameof(segments));
            offset += segments[i].Size;
            _ends[i] = offset;
        }
        TotalSize = offset;
        long pieces = (offset + pieceLength - 1) / pieceLength;
        if (pieces > int.MaxValue) throw new ArgumentException("too many pieces", nameof(pieceLength));
        PieceCount = (int)pieces;
    }

    public StorageSegment[] Segments { get; }
    public int PieceLength { get; }
    public long TotalSize { get; }
    public int PieceCount { get; }

    public long PieceStart(int piece) => (long)piece * PieceLength;
    public int PieceSize(int piece) => (int)Math.Min(PieceLength, TotalSize - PieceStart(piece));

    /// <summary>Index of the non-empty segment holding byte <paramref name="position"/>, or -1 past the end.</summary>
    public int SegmentAt(long position)
    {
        // First segment whose end lies beyond the position; empty segments end where they start and are skipped.
        int lo = 0, hi = _ends.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_ends[mid] > position) hi = mid; else lo = mid + 1;
        }
        return lo < _ends.Length ? lo : -1;
    }

    /// <summary>The file a v2 piece belongs to (the non-pad file holding its first byte), or -1.</summary>
    public int V2Owner(int piece)
    {
        int s = SegmentAt(PieceStart(piece));
        return s >= 0 && !Segments[s].IsPad ? s : -1;
    }
}
