// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Hashing;

/// <summary>
/// Verifies the pieces of a torrent against the files under a save path: the v1 SHA-1 of the piece
/// and/or the v2 merkle node of the piece's file data (a hybrid piece must pass both). Pad files are
/// zeros and never read from disk; a missing or short file fails the pieces that need its bytes.
/// Safe to use from several threads at once.
/// </summary>
public sealed class PieceChecker
{
    private readonly TorrentInfo _info;
    private readonly PieceSpace _space;

    public PieceChecker(TorrentInfo info, string savePath)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(savePath);
        _info = info;
        var files = info.Files.Files;
        var segments = new StorageSegment[files.Count];
        for (int i = 0; i < files.Count; i++)
        {
            var f = files[i];
            // BEP 47 symlinks carry no data of their own, like pads.
            string? path = f.IsPad || f.IsSymlink ? null : Path.Combine(savePath, f.Path);
            segments[i] = new StorageSegment(path, f.Offset, f.Size);
        }
        _space = new PieceSpace(segments, info.Files.PieceLength);
    }

    /// <summary>Number of pieces.</summary>
    public int PieceCount => _space.PieceCount;

    /// <summary>
    /// Reads piece <paramref name="piece"/> from disk into <paramref name="scratch"/> (at least the piece's
    /// size) and checks it. False when its data is missing, short or does not match.
    /// </summary>
    public bool VerifyPiece(int piece, Span<byte> scratch)
    {
        if ((uint)piece >= (uint)_space.PieceCount) throw new ArgumentOutOfRangeException(nameof(piece));
        int size = _space.PieceSize(piece);
        if (scratch.Length < size) throw new ArgumentException("scratch is smaller than the piece", nameof(scratch));
        var data = scratch[..size];
        using (var reader = new SegmentReader(_space))
            if (!reader.Read(_space.PieceStart(piece), data)) return false;

        Span<byte> sha1 = stackalloc byte[20];
        if (_info.HasV1) SHA1.HashData(data, sha1);
        Span<byte> node = stackalloc byte[Merkle.HashSize];
        int owner = _info.HasV2 ? _space.V2Owner(piece) : -1;
        if (owner >= 0)
        {
            var file = _space.Segments[owner];
            int fileBytes = (int)Math.Min(size, file.End - _space.PieceStart(piece));
            Merkle.PieceRoot(data[..fileBytes], _space.PieceLength, file.Size, node);
        }
        return Matches(piece, _info.HasV1 ? sha1 : default, owner >= 0 ? node : default, owner);
    }

    /// <summary>
    /// Checks every piece with <paramref name="parallelism"/> workers reading large runs of pieces, and
    /// reports each result through <paramref name="onPiece"/> (called on the worker threads, each piece
    /// once, in no global order). Throws <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public void CheckAll(Action<int, bool> onPiece, int parallelism, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(onPiece);
        ParallelPieceHashing.Run(_space, _info.HasV1, _info.HasV2, new Sink(this, onPiece), parallelism, stopOnError: false, ct);
    }

    private bool Matches(int piece, ReadOnlySpan<byte> sha1, ReadOnlySpan<byte> v2Node, int owner) =>
        PieceExpectations.Matches(_info, _space, piece, sha1, v2Node, owner);

    private sealed class Sink(PieceChecker checker, Action<int, bool> onPiece) : IPieceHashSink
    {
        public void OnPiece(int piece, ReadOnlySpan<byte> sha1, ReadOnlySpan<byte> v2Node, int v2Segment, bool dataComplete) =>
            onPiece(piece, dataComplete && checker.Matches(piece, sha1, v2Node, v2Segment));
    }
}
