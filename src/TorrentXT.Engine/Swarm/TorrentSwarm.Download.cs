// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.Picking;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// The download side: the <see cref="PiecePicker"/> decides what to request from whom, each peer's
/// pipeline is sized by its <see cref="RequestQueueSizer"/>, requests are topped up the moment a
/// block arrives (not on a timer), blocks go to disk and complete pieces to the hash check.
/// </summary>
internal sealed partial class TorrentSwarm : IBlockWriteObserver
{
    private PiecePicker? _picker;
    private readonly List<BlockRequest> _picks = new();
    private readonly List<IPeerView> _cancels = new();
    private readonly List<IPeerView> _blamed = new();
    private byte[]? _appliedPriorities;
    private Dictionary<int, long>? _appliedDeadlines;

    /// <summary>The picker over a checked torrent: our have set, its priorities and deadlines.</summary>
    private static PiecePicker NewPicker(Metainfo.FileStorage files, byte[] haveBits, SettingsPack settings)
    {
        var have = new Bitfield(files.NumPieces);
        for (int i = 0; i < files.NumPieces; i++)
            if ((haveBits[i >> 3] & (0x80 >> (i & 7))) != 0) have.Set(i, true);
        return new PiecePicker(PieceLayout.From(files), new Random(), PiecePickerOptions.FromSettings(settings), have);
    }

    /// <summary>Hands a peer's have set to the picker once both exist (the picker may come later, for a magnet).</summary>
    private void CountPeerLocked(PeerConnection p)
    {
        if (_picker is null || p.CountedByPicker) return;
        int n = _picker.PieceCount;
        if (p.PeerHasAll)
        {
            p.PeerHave ??= new Bitfield(n);
            _picker.OnPeerHaveAll(p);
            p.CountedByPicker = true;
            return;
        }
        if (p.PeerHave is null || p.PeerHave.Length != n)
        {
            p.PeerHave = new Bitfield(n);
            if (p.PeerBitfieldRaw is { } raw)
                for (int i = 0; i < n && (i >> 3) < raw.Length; i++)
                    if ((raw[i >> 3] & (0x80 >> (i & 7))) != 0) p.PeerHave.Set(i, true);
            foreach (int i in p.EarlyHaves)
                if ((uint)i < (uint)n) p.PeerHave.Set(i, true);
            p.EarlyHaves.Clear();
        }
        _picker.OnPeerBitfield(p, p.PeerHave);
        p.CountedByPicker = true;
    }

    /// <summary>Applies the torrent's priorities, deadlines and sequential flag when they changed (each tick).</summary>
    private void SyncWantedLocked()
    {
        if (_picker is null) return;
        var prio = Torrent.PiecePriorities();
        if (prio.Length == _picker.PieceCount && (_appliedPriorities is null || !prio.AsSpan().SequenceEqual(_appliedPriorities)))
        {
            _picker.SetPiecePriorities(prio);
            _appliedPriorities = prio;
            foreach (var p in _peers) UpdateInterestLocked(p);
        }
        _picker.Sequential = (Torrent.Flags & TorrentFlags.SequentialDownload) != 0;
        var deadlines = Torrent.Deadlines;
        if (deadlines.Count == 0 && (_appliedDeadlines is null || _appliedDeadlines.Count == 0)) return;
        if (_appliedDeadlines is not null && SameDeadlines(deadlines, _appliedDeadlines)) return;
        _picker.ClearDeadlines();
        foreach (var (piece, due) in deadlines)
            if ((uint)piece < (uint)_picker.PieceCount) _picker.SetDeadline(piece, due);
        _appliedDeadlines = new Dictionary<int, long>(deadlines);
    }

    private static bool SameDeadlines(IReadOnlyDictionary<int, long> a, Dictionary<int, long> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (k, v) in a)
            if (!b.TryGetValue(k, out long w) || w != v) return false;
        return true;
    }

    private void UpdateInterestLocked(PeerConnection p)
    {
        bool want = _picker is not null && p.CountedByPicker && _picker.IsInteresting(p);
        if (want == p.AmInterested) return;
        p.AmInterested = want;
        p.SendIdOnly(want ? MessageKind.Interested : MessageKind.NotInterested);
    }

    /// <summary>Tops the peer's pipeline up to its queue size with the picker's best blocks.</summary>
    private void FillRequestsLocked(PeerConnection p)
    {
        if (_picker is null || !p.AmInterested || p.IsClosed || !p.CountedByPicker || !PiecesVerifiable) return;
        if (p.PeerChoking && p.AllowedFastIn.Count == 0) return;
        int room = p.Sizer.QueueSize - p.Requests.Count;
        // Top up in batches once the pipeline is under way: one pick and one send for every few
        // blocks received, not one per block (each request alone would cost a send system call).
        if (room <= 0 || (p.Requests.Count > 0 && room < Math.Max(1, p.Sizer.QueueSize / 16))) return;
        _picks.Clear();
        PreferSuggestedLocked(p, room);
        if (_picks.Count < room) _picker.PickBlocks(p, room - _picks.Count, _picks);
        long now = Environment.TickCount64;
        foreach (var r in _picks)
        {
            if (!_picker.OnRequestSent(p, r)) continue;
            if (p.Requests.Count == 0) p.LastBlockTicks = now;
            p.Requests.Add(new PeerConnection.OutstandingRequest(r, now));
            p.SendRequest(r.Piece, r.Offset, r.Length);
        }
    }

    /// <summary>
    /// BEP 6 suggest: a piece the peer suggested (it has it in its cache) is requested first when we
    /// still want it and nobody is on it yet; stale suggestions are dropped.
    /// </summary>
    private void PreferSuggestedLocked(PeerConnection p, int room)
    {
        if (p.Suggested.Count == 0 || p.PeerChoking || p.Snubbed) return;
        var picker = _picker!;
        // Streaming orders (sequential, deadlines) outrank a peer's cache hints.
        if (picker.Sequential || _appliedDeadlines is { Count: > 0 }) { p.Suggested.Clear(); return; }
        for (int i = p.Suggested.Count - 1; i >= 0 && _picks.Count < room; i--)
        {
            int piece = p.Suggested[i];
            if (picker.HavePiece(piece) || picker.PiecePriority(piece) == 0 || picker.IsInProgress(piece)
                || !(p.PeerHasAll || (p.PeerHave is { } h && h[piece])))
            {
                p.Suggested.RemoveAt(i);
                continue;
            }
            int blocks = picker.Layout.BlockCount(piece);
            for (int b = 0; b < blocks && _picks.Count < room; b++) _picks.Add(picker.Layout.Request(piece, b));
            p.Suggested.RemoveAt(i);
        }
    }

    /// <summary>Forgets one outstanding request of the peer; false when it had none like it.</summary>
    private static bool RemoveRequest(PeerConnection p, BlockRequest r)
    {
        // Blocks mostly arrive in request order: the match is nearly always the first entry.
        var list = p.Requests;
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Request != r) continue;
            list.RemoveAt(i);
            return true;
        }
        return false;
    }

    /// <summary>Every outstanding request of the peer goes back to the picker (choke, snub, timeout).</summary>
    private void ReleaseRequestsLocked(PeerConnection p, bool timedOut)
    {
        if (_picker is not null)
            foreach (var o in p.Requests)
            {
                if (timedOut) _picker.OnRequestTimeout(p, o.Request);
                else _picker.OnRequestRejected(p, o.Request);
            }
        p.Requests.Clear();
    }

    /// <summary>
    /// Each tick: a peer that owes us blocks and sent none for <c>piece_timeout</c> is snubbed
    /// (its requests go to other peers and it gets one at a time); a single request left
    /// unanswered for <c>request_timeout</c> while others are served is given up and picked again;
    /// once a second every pipeline is resized from the peer's current rate.
    /// </summary>
    private void CheckRequestsLocked(long now, bool resize)
    {
        long timeout = Math.Max(1, Settings.GetInt(SettingIds.PieceTimeout)) * 1000L;
        long requestTimeout = Math.Max(1, Settings.GetInt(SettingIds.RequestTimeout)) * 1000L;
        foreach (var p in _peers)
        {
            while (_picker is not null && p.Requests.Count > 0 && now - p.Requests[0].SentTicks > requestTimeout)
            {
                var stale = p.Requests[0].Request;
                p.Requests.RemoveAt(0);
                _picker.OnRequestTimeout(p, stale);
            }
            if (p.Requests.Count == 0) p.LastBlockTicks = now;
            else if (now - p.LastBlockTicks > timeout)
            {
                // It may still send them; a late block is accepted if nobody else delivered it first.
                p.Snubbed = true;
                ReleaseRequestsLocked(p, timedOut: true);
                p.LastBlockTicks = now;
                p.Sizer.Update(p.Down.Rate, TimeSpan.Zero, snubbed: true);
            }
            if (resize && !p.Snubbed) p.Sizer.Update(p.Down.Rate, TimeSpan.Zero, snubbed: false);
            FillRequestsLocked(p);
        }
    }

    // ---- blocks -> disk -> hash -> have ---------------------------------------------------------

    /// <summary>A block arrived: it is copied into a disk buffer (waiting while the write budget is spent) and written.</summary>
    // Pooled: when the write-back budget is spent this waits, once per block.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask OnBlockAsync(PeerConnection p, int piece, int begin, ReadOnlyMemory<byte> data)
    {
        TorrentStorage storage;
        var r = new BlockRequest(piece, begin, data.Length);
        lock (_sync)
        {
            if (_picker is null || _storage is null || !_picker.Layout.IsBlock(piece, begin, data.Length)) return;
            bool asked = RemoveRequest(p, r);
            p.Down.Add(data.Length);
            if (asked)
            {
                p.LastBlockTicks = Environment.TickCount64;
                p.Snubbed = false;
                p.Sizer.OnBlockReceived();
            }
            _cancels.Clear();
            var result = _picker.OnBlockReceived(p, r, _cancels);
            // End game: the same block was asked of others too; they need not send it any more.
            foreach (var other in _cancels)
            {
                if (other is not PeerConnection q) continue; // a web seed's claim: its fetch is under way
                if (RemoveRequest(q, r)) q.SendCancel(r);
                FillRequestsLocked(q);
            }
            FillRequestsLocked(p);
            if (result != BlockReceiveResult.Accepted) return;
            NoteBlockSenderLocked(r, p); // smart ban: TorrentSwarm.SmartBan.cs
            storage = _storage;
        }
        DiskBuffer buffer = await _host.Disk.RentBlockAsync(data.Length).ConfigureAwait(false);
        data.Span.CopyTo(buffer.Span);
        try { _host.Disk.WriteBlock(storage, r.Piece, r.Offset, buffer, this); }
        catch (ObjectDisposedException e) { OnBlockWriteFailed(r, e); } // the session is closing (the queue took the buffer back)
    }

    /// <summary>A peer's block was written (on a pool thread): the write that completes a piece starts its check.</summary>
    void IBlockWriteObserver.OnBlockWritten(IBlockStorage storage, int piece, int offset, int length, Exception? error)
    {
        var r = new BlockRequest(piece, offset, length);
        if (error is not null) OnBlockWriteFailed(r, error);
        else if (CompletesPiece(r)) _ = CheckPieceAsync((TorrentStorage)storage, r);
    }

    /// <summary>
    /// Writes a block and, when that completes its piece, checks it: true passed, false failed, or
    /// null when this write did not complete the piece or the disk failed (then the torrent goes to
    /// its error state; the data's source is not to blame). For web seeds, which want the verdict.
    /// </summary>
    private async Task<bool?> WriteAndCheckAsync(TorrentStorage storage, BlockRequest r, DiskBuffer buffer)
    {
        try { await _host.Disk.WriteAsync(storage, r.Piece, r.Offset, buffer).ConfigureAwait(false); }
        catch (Exception e) when (e is StorageException or ObjectDisposedException or IOException)
        {
            OnBlockWriteFailed(r, e);
            return null;
        }
        return CompletesPiece(r) ? await CheckPieceAsync(storage, r).ConfigureAwait(false) : null;
    }

    /// <summary>The block is on disk: whether it was the last one its piece waited for.</summary>
    private bool CompletesPiece(BlockRequest r)
    {
        lock (_sync) return _picker is not null && _picker.OnBlockWritten(r);
    }

    /// <summary>The block is asked for again; a storage failure puts the torrent in its error state.</summary>
    private void OnBlockWriteFailed(BlockRequest r, Exception e)
    {
        lock (_sync) _picker?.OnBlockWriteFailed(r);
        if (e is StorageException) Torrent.OnStorageError(e); // error state: paused, alerts
    }

    /// <summary>
    /// Checks the piece whose blocks are all on disk now that <paramref name="last"/> is: true passed
    /// (peers are told, the finished torrent flushed), false failed, null when the disk failed (the
    /// last block is then asked for again, which checks the piece again).
    /// </summary>
    private async Task<bool?> CheckPieceAsync(TorrentStorage storage, BlockRequest last)
    {
        int piece = last.Piece;
        bool passed;
        try { passed = await _host.Disk.HashAsync(storage, piece).ConfigureAwait(false); }
        catch (Exception e) when (e is StorageException or ObjectDisposedException or IOException)
        {
            OnBlockWriteFailed(last, e);
            return null;
        }
        if (!passed)
        {
            // Smart ban: keep what each peer sent before the piece is fetched again (TorrentSwarm.SmartBan.cs).
            await OnPieceFailedAsync(storage, piece).ConfigureAwait(false);
            OnHashFailed(storage, piece);
            return false;
        }
        Torrent.OnPieceVerified(piece);
        bool done;
        lock (_sync)
        {
            if (_picker is null) return true;
            _blamed.Clear();
            _picker.OnPieceHashed(piece, passed: true, _blamed);
            foreach (var v in _blamed) (v as PeerConnection)?.Trust.OnGoodPiece();
            _ = OnPiecePassedAsync(storage, piece);
            done = _picker.IsFinished;
            foreach (var q in _peers)
            {
                q.SendHave(piece);
                UpdateInterestLocked(q);
            }
        }
        if (done)
        {
            try { await _host.Disk.RunAsync(storage.Flush).ConfigureAwait(false); }
            catch (Exception e) when (e is StorageException or ObjectDisposedException) { }
        }
        return true;
    }

    /// <summary>
    /// The piece failed its check: its blocks are downloaded again, and every peer that sent part of
    /// it loses trust (<see cref="PeerTrust"/>); a peer that loses too much, or sent the whole bad
    /// piece alone, is disconnected and never dialled or admitted again (banned). A web seed that
    /// sent part of it counts a failure in a row (<see cref="WebSeeds.WebSeed.OnBadPiece"/>), which
    /// backs it off and drops it after <c>max_failcount</c>.
    /// </summary>
    private void OnHashFailed(TorrentStorage storage, int piece)
    {
        storage.DiscardPieceHashState(piece);
        List<PeerConnection>? ban = null;
        lock (_sync)
        {
            if (_picker is null) return;
            _blamed.Clear();
            // A piece finished from resume data's blocks may have failed on those: nobody is the sole sender.
            bool fromDisk = _picker.HasBlocksFromDisk(piece);
            _picker.OnPieceHashed(piece, passed: false, _blamed);
            HashFailedPieces++;
            foreach (var v in _blamed)
            {
                if (v is WebSeeds.WebSeed seed) { seed.OnBadPiece(piece); continue; }
                var q = (PeerConnection)v;
                if (!q.Trust.OnBadPiece(soleSender: _blamed.Count == 1 && !fromDisk)) continue;
                _banned.Add(q.Remote);
                if (q.ListenEndpoint is { } listen) _banned.Add(listen);
                (ban ??= new()).Add(q);
            }
            foreach (var q in _peers) FillRequestsLocked(q);
        }
        if (ban is not null) foreach (var q in ban) q.Close();
    }

    /// <summary>Pieces that failed their hash check since the swarm started (for tests and diagnostics).</summary>
    public int HashFailedPieces { get; private set; }

    /// <summary>Blocks of partial pieces taken from resume data as already on disk (not requested again).</summary>
    public int ResumedBlocks { get; private set; }
}
