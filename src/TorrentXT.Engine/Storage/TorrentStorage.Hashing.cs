// SPDX-License-Identifier: MIT
using System.Buffers;
using System.Security.Cryptography;
using TorrentXT.Engine.Hashing;

namespace TorrentXT.Engine.Storage;

public sealed partial class TorrentStorage
{
    /// <summary>
    /// Checks <paramref name="piece"/> against the torrent: the v1 SHA-1 and/or the v2 node of its
    /// file (hybrids need both). Uses what was hashed while the blocks were written and reads back
    /// only the rest (blocks written out of order, or twice); bytes that are missing read as zeros,
    /// so an incomplete piece fails. A piece whose pad bytes were written non-zero fails. Call it once
    /// every write of the piece has completed. Throws <see cref="StorageException"/> only for real
    /// disk failures.
    /// </summary>
    public bool HashPiece(int piece)
    {
        if ((uint)piece >= (uint)_files.NumPieces) throw new ArgumentOutOfRangeException(nameof(piece));
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return HashLocked(piece);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Forgets the streaming hash of a piece that will not be completed (its blocks are re-requested later).</summary>
    public void DiscardPieceHashState(int piece) => _streams.Discard(piece);

    private bool HashLocked(int piece)
    {
        int size = _files.PieceSize(piece);
        var state = _streams.Take(piece);
        byte[]? data = null;
        byte[]? leaves = null;
        try
        {
            var (owner, fileBytes) = _streams.V2Geometry(piece);
            int leafCount = owner >= 0 ? (fileBytes + Merkle.BlockSize - 1) / Merkle.BlockSize : 0;
            int readFrom = FirstUnhashed(state, _info.HasV1, size, leafCount);
            if (readFrom < size)
            {
                data = ArrayPool<byte>.Shared.Rent(size - readFrom);
                ReadLocked(piece, readFrom, data.AsSpan(0, size - readFrom), lenient: true);
            }
            // data[i] holds piece byte readFrom + i.
            ReadOnlySpan<byte> tail = data is null ? default : data.AsSpan(0, size - readFrom);

            Span<byte> sha1 = stackalloc byte[20];
            if (_info.HasV1)
            {
                if (state is { Sha1Void: false })
                {
                    if (state.HashedUpTo < size) state.Sha1!.AppendData(tail[(state.HashedUpTo - readFrom)..]);
                    state.Sha1!.GetHashAndReset(sha1);
                    state.HashedUpTo = 0;
                }
                else SHA1.HashData(tail, sha1); // nothing usable was streamed: readFrom is 0
            }

            Span<byte> node = stackalloc byte[Merkle.HashSize];
            if (owner >= 0)
            {
                Span<byte> hashes = state is not null ? state.LeafHashes : (leaves = ArrayPool<byte>.Shared.Rent(leafCount * Merkle.HashSize));
                for (int k = 0; k < leafCount; k++)
                {
                    if (state is not null && state.LeafStatus[k] == PieceHashState.LeafHashed) continue;
                    int start = k * Merkle.BlockSize;
                    int len = Math.Min(Merkle.BlockSize, fileBytes - start);
                    SHA256.HashData(tail.Slice(start - readFrom, len), hashes.Slice(k * Merkle.HashSize, Merkle.HashSize));
                }
                PieceExpectations.V2Node(hashes[..(leafCount * Merkle.HashSize)], _space.PieceLength, _space.Segments[owner].Size, node);
            }

            if (state is { PadViolation: true }) return false;
            return PieceExpectations.Matches(_info, _space, piece, _info.HasV1 ? sha1 : default, owner >= 0 ? node : default, owner);
        }
        finally
        {
            if (state is not null) _streams.Return(state);
            if (data is not null) ArrayPool<byte>.Shared.Return(data);
            if (leaves is not null) ArrayPool<byte>.Shared.Return(leaves);
        }
    }

    // The first piece offset whose bytes were not hashed while being written: the read-back starts there.
    private static int FirstUnhashed(PieceHashState? state, bool v1, int size, int leafCount)
    {
        int from = size;
        if (v1) from = state is null || state.Sha1Void ? 0 : state.HashedUpTo;
        for (int k = 0; k < leafCount && k * Merkle.BlockSize < from; k++)
        {
            if (state is not null && state.LeafStatus[k] == PieceHashState.LeafHashed) continue;
            from = k * Merkle.BlockSize;
            break;
        }
        return from;
    }
}
