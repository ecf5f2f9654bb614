// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// A torrent's files laid end to end in torrent space, pad files included, with the arithmetic
/// that maps pieces and byte ranges onto files. Immutable.
/// </summary>
public sealed class FileStorage
{
    private readonly TorrentFile[] _files;
    private readonly long[] _offsets;

    internal FileStorage(TorrentFile[] files, string name, int pieceLength, int numPieces, long totalSize)
    {
        _files = files;
        _offsets = new long[files.Length];
        for (int i = 0; i < files.Length; i++) _offsets[i] = files[i].Offset;
        Name = name;
        PieceLength = pieceLength;
        NumPieces = numPieces;
        TotalSize = totalSize;
    }

    public IReadOnlyList<TorrentFile> Files => _files;
    public int Count => _files.Length;
    /// <summary>The name libtorrent's file storage carries: the root directory, or the single file's name.</summary>
    public string Name { get; }
    public int PieceLength { get; }
    public int NumPieces { get; }
    /// <summary>All bytes in torrent space, pad files included.</summary>
    public long TotalSize { get; }

    /// <summary>The size of a piece; only the last one may be short.</summary>
    public int PieceSize(int piece)
    {
        if ((uint)piece >= (uint)NumPieces) throw new ArgumentOutOfRangeException(nameof(piece));
        if (piece < NumPieces - 1) return PieceLength;
        return (int)(TotalSize - (long)(NumPieces - 1) * PieceLength);
    }

    public long PieceOffset(int piece) => (long)piece * PieceLength;

    /// <summary>
    /// The file holding torrent byte <paramref name="torrentOffset"/>. Empty files never hold a
    /// byte, so where several files start at the same offset the last of them (the non-empty one) wins.
    /// </summary>
    public int FileAt(long torrentOffset)
    {
        if (torrentOffset < 0 || torrentOffset >= TotalSize) throw new ArgumentOutOfRangeException(nameof(torrentOffset));
        // Upper bound: the first file starting after the offset; the one before it holds the byte.
        int lo = 0, hi = _offsets.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_offsets[mid] <= torrentOffset) lo = mid + 1;
            else hi = mid;
        }
        return lo - 1;
    }

    /// <summary>
    /// Splits [offset, offset + length) of torrent space over the files it covers, skipping empty
    /// files, and appends the pieces to <paramref name="into"/>. A range past the end is cut at the end.
    /// </summary>
    public void MapRange(long offset, int length, List<FileSlice> into)
    {
        if (offset < 0 || offset > TotalSize) throw new ArgumentOutOfRangeException(nameof(offset));
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length));
        long remaining = Math.Min(length, TotalSize - offset);
        if (remaining == 0) return;
        int i = FileAt(offset);
        long inFile = offset - _offsets[i];
        for (; remaining > 0; i++)
        {
            long size = _files[i].Size;
            if (inFile < size)
            {
                int n = (int)Math.Min(size - inFile, remaining);
                into.Add(new FileSlice(i, inFile, n));
                remaining -= n;
                inFile = 0;
            }
            else inFile -= size;
        }
    }

    /// <summary>
    /// The pieces a file touches, both ends inclusive. An empty file touches none: First is then
    /// greater than Last.
    /// </summary>
    public (int First, int Last) PieceRangeOfFile(int fileIndex)
    {
        var f = _files[fileIndex];
        int first = (int)(f.Offset / PieceLength);
        if (f.Size == 0) return (first, first - 1);
        return (first, (int)((f.Offset + f.Size - 1) / PieceLength));
    }
}
