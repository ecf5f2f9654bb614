// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using TorrentXT.Engine.Hashing;

namespace TorrentXT.Engine.Storage;

/// <summary>
/// The streaming hashes of the pieces being written (see <see cref="PieceHashState"/>): fed by every
/// successful block write, taken by the piece check. Thread-safe: blocks of one piece may be
/// written by several disk workers at once.
/// </summary>
internal sealed class PieceHashStreams
{
    // States kept for reuse; beyond this they are left to the GC.
    private const int MaxPooled = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<int, PieceHashState> _active = new();
    private readonly Stack<PieceHashState> _pool = new();
    private readonly PieceSpace _space;
    private readonly bool _v1;
    private readonly bool _v2;
    private readonly int _leavesPerPiece;

    public PieceHashStreams(PieceSpace space, bool v1, bool v2)
    {
        _space = space;
        _v1 = v1;
        _v2 = v2;
        _leavesPerPiece = v2 ? Merkle.LeavesPerPiece(space.PieceLength) : 0;
    }

    /// <summary>Pieces with streaming state.</summary>
    public int ActiveCount
    {
        get { lock (_gate) return _active.Count; }
    }

    /// <summary>The file a v2 piece belongs to and how many of the piece's bytes are that file's; (-1, 0) when none.</summary>
    public (int Owner, int FileBytes) V2Geometry(int piece)
    {
        if (!_v2) return (-1, 0);
        int owner = _space.V2Owner(piece);
        if (owner < 0) return (-1, 0);
        long start = _space.PieceStart(piece);
        return (owner, (int)Math.Min(_space.PieceSize(piece), _space.Segments[owner].End - start));
    }

    /// <summary>Records bytes [offset, offset + data.Length) of <paramref name="piece"/>, which are now on disk.</summary>
    public void OnWritten(int piece, int offset, ReadOnlySpan<byte> data, bool padViolation)
    {
        var state = GetOrCreate(piece);
        Span<byte> leaf = stackalloc byte[32];
        var (owner, fileBytes) = V2Geometry(piece);
        int end = offset + data.Length;
        if (owner >= 0)
        {
            // Leaves are 16 KiB from the piece start (v2 pieces start at their file's start).
            for (int k = offset / Merkle.BlockSize; k * Merkle.BlockSize < Math.Min(end, fileBytes); k++)
            {
                int leafStart = k * Merkle.BlockSize;
                int leafEnd = Math.Min(leafStart + Merkle.BlockSize, fileBytes);
                if (offset >= leafEnd) continue; // the write starts past this (short, last) leaf
                bool whole = offset <= leafStart && end >= leafEnd;
                if (whole) SHA256.HashData(data.Slice(leafStart - offset, leafEnd - leafStart), leaf);
                lock (state.Gate)
                {
                    if (whole && state.LeafStatus[k] == PieceHashState.LeafMissing)
                    {
                        leaf.CopyTo(state.LeafHashes.AsSpan(k * 32, 32));
                        state.LeafStatus[k] = PieceHashState.LeafHashed;
                    }
                    else state.LeafStatus[k] = PieceHashState.LeafReread;
                }
            }
        }
        lock (state.Gate)
        {
            if (padViolation) state.PadViolation = true;
            if (state.Sha1 is null || state.Sha1Void) return;
            if (offset == state.HashedUpTo)
            {
                state.Sha1.AppendData(data);
                state.HashedUpTo = end;
            }
            else if (offset < state.HashedUpTo) state.Sha1Void = true;
            // A block beyond the hashed prefix is read back when the piece is checked.
        }
    }

    /// <summary>Removes and returns the state of <paramref name="piece"/>, or null when nothing was streamed.</summary>
    public PieceHashState? Take(int piece)
    {
        lock (_gate) return _active.Remove(piece, out var s) ? s : null;
    }

    /// <summary>Hands a taken state back for reuse.</summary>
    public void Return(PieceHashState state)
    {
        state.Reset();
        lock (_gate)
            if (_pool.Count < MaxPooled) _pool.Push(state);
    }

    /// <summary>Forgets what was streamed for <paramref name="piece"/> (an abandoned piece).</summary>
    public void Discard(int piece)
    {
        if (Take(piece) is { } s) Return(s);
    }

    private PieceHashState GetOrCreate(int piece)
    {
        lock (_gate)
        {
            if (_active.TryGetValue(piece, out var s)) return s;
            s = _pool.Count > 0 ? _pool.Pop() : new PieceHashState(_v1, _leavesPerPiece);
            _active.Add(piece, s);
            return s;
        }
    }
}
