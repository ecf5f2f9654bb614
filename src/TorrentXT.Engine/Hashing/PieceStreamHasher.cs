// SPDX-License-Identifier: MIT
using System.Buffers;
using System.Security.Cryptography;

namespace TorrentXT.Engine.Hashing;

/// <summary>Receives the hashes of each piece from a <see cref="PieceStreamHasher"/> (on worker threads).</summary>
internal interface IPieceHashSink
{
    /// <param name="piece">piece index</param>
    /// <param name="sha1">the v1 SHA-1 of the whole piece (pads as zeros), empty when v1 is not computed</param>
    /// <param name="v2Node">the v2 node of the piece's file data (see <see cref="Merkle.PieceRoot"/>), empty when
    /// v2 is not computed or no file starts the piece</param>
    /// <param name="v2Segment">the segment the v2 node belongs to, or -1</param>
    /// <param name="dataComplete">false when some of the piece's bytes could not be read</param>
    void OnPiece(int piece, ReadOnlySpan<byte> sha1, ReadOnlySpan<byte> v2Node, int v2Segment, bool dataComplete);
}

/// <summary>
/// One worker's hashing engine: streams a run of pieces from disk in large reads and computes the
/// v1 SHA-1 of every piece and/or the v2 merkle node of every piece's file data, without allocating
/// per piece. Data is hashed in slices small enough to stay in the CPU cache while both hashes read it.
/// </summary>
internal sealed class PieceStreamHasher : IDisposable
{
    /// <summary>Bytes per disk read: large sequential reads, a multiple of the 16 KiB block.</summary>
    public const int ReadSize = 4 * 1024 * 1024;

    // Both hashes run over one slice before moving on, so the slice is read from cache the second time.
    private const int SliceSize = 256 * 1024;

    private readonly PieceSpace _space;
    private readonly SegmentReader _reader;
    private readonly IncrementalHash? _sha1;
    private readonly byte[] _buffer;
    private readonly byte[]? _leaves;
    private readonly int _leavesPerPiece;
    private readonly int _readSize;

    public PieceStreamHasher(PieceSpace space, bool v1, bool v2)
    {
        _space = space;
        _reader = new SegmentReader(space);
        if (v1) _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        if (v2)
        {
            _leavesPerPiece = Merkle.LeavesPerPiece(space.PieceLength);
            _leaves = ArrayPool<byte>.Shared.Rent(_leavesPerPiece * Merkle.HashSize);
        }
        // Whole 16 KiB blocks per read (see Feed), but no bigger than the torrent needs.
        long blocks = (Math.Max(space.TotalSize, 1) + Merkle.BlockSize - 1) / Merkle.BlockSize;
        _readSize = (int)Math.Min(ReadSize, blocks * Merkle.BlockSize);
        _buffer = ArrayPool<byte>.Shared.Rent(_readSize);
    }

    /// <summary>The text of the last read failure, for error reports.</summary>
    public string? LastError => _reader.LastError;

    /// <summary>
    /// Hashes pieces <paramref name="first"/> .. <paramref name="endExclusive"/>-1 in order and reports each
    /// to <paramref name="sink"/>. Returns false as soon as a read fails when <paramref name="stopOnError"/> is set.
    /// </summary>
    public bool HashPieces(int first, int endExclusive, IPieceHashSink sink, bool stopOnError)
    {
        long start = _space.PieceStart(first);
        long end = Math.Min(_space.PieceStart(endExclusive), _space.TotalSize);
        var piece = new PieceState(this, first);

        for (long pos = start; pos < end;)
        {
            int n = (int)Math.Min(_readSize, end - pos);
            Span<byte> data = _buffer.AsSpan(0, n);
            bool ok = _reader.Read(pos, data);
            if (!ok && stopOnError) return false;
            int off = 0;
            while (off < n)
            {
                long p = pos + off;
                int take = (int)Math.Min(Math.Min(n - off, SliceSize), piece.End - p);
                if (!ok && Overlaps(p, p + take)) piece.Complete = false;
                Feed(ref piece, p, data.Slice(off, take));
                off += take;
                if (p + take == piece.End)
                {
                    Finish(ref piece, sink);
                    piece = new PieceState(this, piece.Index + 1);
                }
            }
            pos += n;
        }
        return true;
    }

    private bool Overlaps(long start, long end)
    {
        foreach (var (s, e) in _reader.Failures)
            if (s < end && start < e) return true;
        return false;
    }

    private void Feed(ref PieceState piece, long position, ReadOnlySpan<byte> data)
    {
        _sha1?.AppendData(data);
        if (piece.Owner < 0) return;
        var file = _space.Segments[piece.Owner];
        long from = Math.Max(position, file.Offset);
        long to = Math.Min(position + data.Length, file.End);
        // Reads and slices are cut at 16 KiB multiples from the piece start and files start on piece
        // boundaries, so blocks never straddle two calls; only a file's last block can be short.
        for (long b = from; b < to; b += Merkle.BlockSize)
        {
            int len = (int)Math.Min(Merkle.BlockSize, to - b);
            SHA256.HashData(data.Slice((int)(b - position), len), _leaves.AsSpan(piece.Leaves * Merkle.HashSize, Merkle.HashSize));
            piece.Leaves++;
        }
    }

    private void Finish(ref PieceState piece, IPieceHashSink sink)
    {
        Span<byte> sha1 = stackalloc byte[20];
        Span<byte> node = stackalloc byte[Merkle.HashSize];
        if (_sha1 is not null) _sha1.GetHashAndReset(sha1); else sha1 = default;
        if (piece.Owner >= 0)
        {
            long fileSize = _space.Segments[piece.Owner].Size;
            long padded = fileSize > _space.PieceLength ? _leavesPerPiece : Merkle.PowerOfTwoAtLeast(Merkle.LeafCount(fileSize));
            Merkle.RootFromLayer(_leaves.AsSpan(0, piece.Leaves * Merkle.HashSize), 0, padded, node);
        }
        else node = default;
        sink.OnPiece(piece.Index, sha1, node, piece.Owner, piece.Complete);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _sha1?.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        if (_leaves is not null) ArrayPool<byte>.Shared.Return(_leaves);
    }

    private struct PieceState
    {
        public int Index;
        public long End;
        public int Owner;
        public int Leaves;
        public bool Complete;

        public PieceState(PieceStreamHasher h, int index)
        {
            Index = index;
            End = index < h._space.PieceCount ? h._space.PieceStart(index) + h._space.PieceSize(index) : long.MaxValue;
            Owner = h._leaves is not null && index < h._space.PieceCount ? h._space.V2Owner(index) : -1;
            Leaves = 0;
            Complete = true;
        }
    }
}
