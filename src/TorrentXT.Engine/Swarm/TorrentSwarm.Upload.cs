// SPDX-License-Identifier: MIT
using System.Buffers;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.Picking;
using TorrentXT.Engine.Storage;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// The upload side. Valid requests queue per peer and serving loops (two per peer) drain them: it
/// takes a run of requests for consecutive blocks of one piece (as peers ask for them), reads the
/// run with one disk job and sends each block. One disk job and one continuation per run instead
/// of per block is what makes seeding keep up with a fast leecher.
/// </summary>
internal sealed partial class TorrentSwarm
{
    private const int MaxServeRun = 256 * 1024;    // bytes read from disk at once for one peer
    // Two runs in flight per peer: one is read while the other is sent, so the socket never waits
    // for the disk (with one, the peer received bursts with gaps and spent more CPU per byte).
    private const int MaxServeLoops = 2;

    private void OnRequest(PeerConnection p, int piece, int begin, int length)
    {
        // A peer that floods requests without reading our answers would grow its send queue without bound.
        if (p.PendingSendBytes > 4 * MaxPendingSendBytes)
            throw new PeerWireException(PeerWireError.InvalidMessageField, "request flood: the peer does not read");
        TorrentStorage? storage;
        lock (_sync)
        {
            storage = _storage;
            bool ok = storage is not null && _picker is not null && (!p.AmChoking || p.AllowedFastOut.Contains(piece))
                      && (uint)piece < (uint)_picker.PieceCount && _picker.HavePiece(piece)
                      && (_superSeeder is null || _superSeeder.MayRequest(p, piece)) // BEP 16: only what it was told of
                      && length > 0 && length <= PieceLayout.BlockSize * 8 && begin >= 0
                      && (long)begin + length <= storage.Info.Files.PieceSize(piece)
                      && p.ServingRequests < MaxServing;
            if (!ok)
            {
                if (p.SupportsFast) p.SendReject(piece, begin, length);
                return;
            }
            p.ServingRequests++;
            p.ServeQueue.Enqueue(new BlockRequest(piece, begin, length));
            if (p.ServeLoops >= MaxServeLoops || (p.ServeLoops > 0 && p.ServeQueue.Count < 2)) return;
            p.ServeLoops++;
        }
        _ = ServeLoopAsync(p, storage!);
    }

    /// <summary>We choked the peer: queued requests will not be served (BEP 6: each is rejected),
    /// except those for its allowed-fast pieces.</summary>
    private void DropQueuedRequestsLocked(PeerConnection p)
    {
        int n = p.ServeQueue.Count;
        for (int i = 0; i < n; i++)
        {
            var r = p.ServeQueue.Dequeue();
            if (p.AllowedFastOut.Contains(r.Piece)) { p.ServeQueue.Enqueue(r); continue; }
            p.ServingRequests--;
            if (p.SupportsFast) p.SendReject(r.Piece, r.Offset, r.Length);
        }
    }

    private async Task ServeLoopAsync(PeerConnection p, TorrentStorage storage)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxServeRun + PieceLayout.BlockSize * 8);
        var run = new List<BlockRequest>();
        try
        {
            while (true)
            {
                // Do not pile up more than a few MiB for a peer that does not read.
                await p.WhenSendPendingAtMostAsync(MaxPendingSendBytes).ConfigureAwait(false);
                run.Clear();
                lock (_sync)
                {
                    if (p.ServeQueue.Count == 0 || p.IsClosed || _shutdown)
                    {
                        p.ServeLoops--;
                        return;
                    }
                    var first = p.ServeQueue.Dequeue();
                    run.Add(first);
                    int end = first.Offset + first.Length;
                    while (p.ServeQueue.TryPeek(out var next) && next.Piece == first.Piece && next.Offset == end
                           && end + next.Length - first.Offset <= MaxServeRun)
                    {
                        run.Add(p.ServeQueue.Dequeue());
                        end += next.Length;
                    }
                }
                int start = run[0].Offset, length = run[^1].Offset + run[^1].Length - start;
                await _host.Disk.ReadAsync(storage, run[0].Piece, start, buffer.AsMemory(0, length)).ConfigureAwait(false);
                foreach (var r in run)
                {
                    bool cancelled;
                    lock (_sync)
                    {
                        cancelled = p.Cancelled.Remove((r.Piece, r.Offset));
                        if (--p.ServingRequests == 0) p.Cancelled.Clear();
                    }
                    if (!cancelled && !p.IsClosed) p.SendPiece(r.Piece, r.Offset, buffer.AsMemory(r.Offset - start, r.Length));
                }
            }
        }
        catch (Exception e) when (e is StorageException or ObjectDisposedException or IOException)
        {
            lock (_sync) p.ServeLoops--;
            p.Close();
            if (e is StorageException) Torrent.OnStorageError(e); // a file deleted or cut short under a seed
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
