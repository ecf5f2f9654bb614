// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// The simplest correct request bookkeeping for one torrent: which pieces we have, and for pieces in
/// progress, which 16 KiB blocks are free, requested, received or written. Partial pieces are
/// finished before new ones start (in index order); there is no rarest-first here yet. Not
/// thread-safe: the owning <see cref="TorrentSwarm"/> calls it under its lock.
/// </summary>
internal sealed class BlockTracker
{
    public const int BlockSize = 16 * 1024;
    private const byte Free = 0, Requested = 1, Received = 2;

    private readonly Metainfo.FileStorage _files;
    private readonly bool[] _have;
    private readonly byte[] _priority;
    private readonly Dictionary<int, byte[]> _partial = new();
    private readonly Dictionary<int, int> _written = new();
    private int _missingWanted;
    // Every piece below this index is present or in progress, so new-piece scans start here.
    private int _cursor;

    public BlockTracker(Metainfo.FileStorage files, ReadOnlySpan<byte> haveBits, ReadOnlySpan<byte> priorities)
    {
        _files = files;
        _have = new bool[files.NumPieces];
        _priority = priorities.ToArray();
        for (int i = 0; i < _have.Length; i++)
        {
            _have[i] = (haveBits[i >> 3] & (0x80 >> (i & 7))) != 0;
            if (!_have[i] && _priority[i] > 0) _missingWanted++;
        }
    }

    public int NumPieces => _have.Length;
    public bool Have(int piece) => _have[piece];
    public bool IsDone => _missingWanted == 0;

    public int BlocksIn(int piece) => (_files.PieceSize(piece) + BlockSize - 1) / BlockSize;
    public int BlockLength(int piece, int block) => Math.Min(BlockSize, _files.PieceSize(piece) - block * BlockSize);

    /// <summary>Whether the peer has a piece we still want.</summary>
    public bool Wants(Bitfield? peer, bool peerHasAll)
    {
        if (_missingWanted == 0) return false;
        for (int i = 0; i < _have.Length; i++)
            if (!_have[i] && _priority[i] > 0 && (peerHasAll || (peer is not null && peer[i]))) return true;
        return false;
    }

    public bool WantsPiece(int piece) => !_have[piece] && _priority[piece] > 0;

    /// <summary>Picks a free block the peer has and marks it requested; false when there is none.</summary>
    public bool TryPick(Bitfield? peer, bool peerHasAll, out int piece, out int block)
    {
        foreach (var (p, blocks) in _partial)
        {
            if (!(peerHasAll || (peer is not null && peer[p]))) continue;
            int b = Array.IndexOf(blocks, Free);
            if (b >= 0) { blocks[b] = Requested; piece = p; block = b; return true; }
        }
        while (_cursor < _have.Length && (_have[_cursor] || _partial.ContainsKey(_cursor))) _cursor++;
        for (int p = _cursor; p < _have.Length; p++)
        {
            if (_have[p] || _priority[p] == 0 || _partial.ContainsKey(p)) continue;
            if (!(peerHasAll || (peer is not null && peer[p]))) continue;
            var blocks = new byte[BlocksIn(p)];
            blocks[0] = Requested;
            _partial[p] = blocks;
            piece = p; block = 0;
            return true;
        }
        piece = block = -1;
        return false;
    }

    /// <summary>
    /// A whole wanted piece nobody has started, every block marked requested (for a web seed);
    /// taken from the end, away from the peers' index-order picks.
    /// </summary>
    public bool TryClaimWholePiece(out int piece)
    {
        for (int p = _have.Length - 1; p >= _cursor; p--)
        {
            if (_have[p] || _priority[p] == 0 || _partial.ContainsKey(p)) continue;
            var blocks = new byte[BlocksIn(p)];
            Array.Fill(blocks, Requested);
            _partial[p] = blocks;
            piece = p;
            return true;
        }
        piece = -1;
        return false;
    }

    /// <summary>A request was rejected or lost (choke, disconnect): the block is free again.</summary>
    public void Release(int piece, int block)
    {
        if (_partial.TryGetValue(piece, out var blocks) && blocks[block] == Requested) blocks[block] = Free;
    }

    /// <summary>A block arrived; true when it is new and must be written, false for a duplicate or unwanted block.</summary>
    public bool OnReceived(int piece, int block)
    {
        if (_have[piece] || !_partial.TryGetValue(piece, out var blocks) || blocks[block] == Received) return false;
        blocks[block] = Received;
        return true;
    }

    /// <summary>A block is on disk; true when that completes the piece (it must now be hashed).</summary>
    public bool OnWritten(int piece)
    {
        _written.TryGetValue(piece, out int n);
        _written[piece] = ++n;
        return n == BlocksIn(piece);
    }

    public void OnPassed(int piece)
    {
        _partial.Remove(piece);
        _written.Remove(piece);
        if (_have[piece]) return;
        _have[piece] = true;
        if (_priority[piece] > 0) _missingWanted--;
    }

    /// <summary>The hash failed (or a write failed): every block of the piece is downloaded again.</summary>
    public void OnFailed(int piece)
    {
        _partial.Remove(piece);
        _written.Remove(piece);
        _cursor = Math.Min(_cursor, piece);
    }

    public void SetPriorities(ReadOnlySpan<byte> priorities)
    {
        if (priorities.SequenceEqual(_priority)) return;
        priorities.CopyTo(_priority);
        _cursor = 0;
        _missingWanted = 0;
        for (int i = 0; i < _have.Length; i++)
            if (!_have[i] && _priority[i] > 0) _missingWanted++;
    }
}
