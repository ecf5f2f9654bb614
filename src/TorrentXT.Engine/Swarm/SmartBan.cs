// SPDX-License-Identifier: MIT
using System.Net;
using System.Security.Cryptography;
using TorrentXT.Engine.Storage;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// Finds the peer that sent the bad block of a piece that failed its hash check, without blaming
/// the honest peers that sent its other blocks: when a piece fails, the SHA-1 of each block and who
/// sent it are kept; when the piece later passes, every peer whose block differs from the good one
/// is proven a liar. Block senders are recorded under the swarm lock; the disk reads happen outside it.
/// </summary>
internal sealed class SmartBan
{
    private const int MaxFailedPieces = 256;   // bounds the memory a stream of bad pieces can take

    private readonly object _sync = new();
    // Who sent each block of the pieces in progress.
    private readonly Dictionary<int, PeerConnection?[]> _senders = new();
    // For pieces that failed: per block, the sender's endpoint and the SHA-1 of what it sent.
    private readonly Dictionary<int, (IPEndPoint? Peer, byte[]? Hash)[]> _failed = new();

    public void OnBlock(int piece, int block, int blocksInPiece, PeerConnection from)
    {
        lock (_sync)
        {
            if (!_senders.TryGetValue(piece, out var senders)) _senders[piece] = senders = new PeerConnection?[blocksInPiece];
            if ((uint)block < (uint)senders.Length) senders[block] = from;
        }
    }

    /// <summary>The distinct peers that sent blocks of the piece (forgetting them).</summary>
    public PeerConnection?[]? TakeSenders(int piece)
    {
        lock (_sync) return _senders.Remove(piece, out var s) ? s : null;
    }

    /// <summary>Before a failed piece is downloaded again: remembers what each peer sent for it.</summary>
    public async Task RecordFailureAsync(DiskIoQueue disk, TorrentStorage storage, int piece, int pieceSize, PeerConnection?[] senders)
    {
        lock (_sync)
            if (_failed.Count >= MaxFailedPieces && !_failed.ContainsKey(piece)) return;
        var hashes = await BlockHashesAsync(disk, storage, piece, pieceSize).ConfigureAwait(false);
        if (hashes is null) return;
        lock (_sync)
        {
            _failed.TryGetValue(piece, out var known);
            var entry = new (IPEndPoint? Peer, byte[]? Hash)[hashes.Length];
            for (int b = 0; b < entry.Length; b++)
            {
                // A block re-sent by the same peer keeps the earlier record too only if it is the same
                // data; a different peer's block replaces it (one liar per block is enough to find).
                var sender = b < senders.Length ? senders[b]?.Remote : null;
                entry[b] = sender is null && known is not null ? known[b] : (sender, hashes[b]);
            }
            _failed[piece] = entry;
        }
    }

    /// <summary>A piece passed: the endpoints that had sent a different block for it earlier.</summary>
    public async Task<List<IPEndPoint>> LiarsAsync(DiskIoQueue disk, TorrentStorage storage, int piece, int pieceSize)
    {
        (IPEndPoint? Peer, byte[]? Hash)[]? record;
        lock (_sync) _failed.Remove(piece, out record);
        var liars = new List<IPEndPoint>();
        if (record is null) return liars;
        var good = await BlockHashesAsync(disk, storage, piece, pieceSize).ConfigureAwait(false);
        if (good is null) return liars;
        for (int b = 0; b < record.Length && b < good.Length; b++)
            if (record[b] is { Peer: { } peer, Hash: { } h } && !h.AsSpan().SequenceEqual(good[b]) && !liars.Contains(peer))
                liars.Add(peer);
        return liars;
    }

    private static async Task<byte[][]?> BlockHashesAsync(DiskIoQueue disk, TorrentStorage storage, int piece, int pieceSize)
    {
        var data = new byte[pieceSize];
        try { await disk.ReadAsync(storage, piece, 0, data).ConfigureAwait(false); }
        catch (Exception e) when (e is StorageException or ObjectDisposedException or IOException) { return null; }
        int blocks = (pieceSize + Picking.PieceLayout.BlockSize - 1) / Picking.PieceLayout.BlockSize;
        var hashes = new byte[blocks][];
        for (int b = 0; b < blocks; b++)
        {
            int at = b * Picking.PieceLayout.BlockSize;
            hashes[b] = SHA1.HashData(data.AsSpan(at, Math.Min(Picking.PieceLayout.BlockSize, pieceSize - at)));
        }
        return hashes;
    }
}
