// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Picking;

/// <summary>
/// Everything the picker knows about one torrent, and the primitive state changes that keep its
/// indexes consistent (pool buckets, wanted mask, per-peer piece lists). Policies read it; only the
/// <see cref="PiecePicker"/> bookkeeping calls change it. Owned by one thread; no locks.
/// </summary>
internal sealed class PickerState
{
    public const byte DefaultPriority = 4;

    private readonly Stack<DownloadingPiece> _spare = new();
    private readonly int[] _stamps;
    private int _stamp;

    public PieceLayout Layout { get; }
    public PiecePickerOptions Options { get; set; }
    public Random Random { get; }
    public Bitfield Have { get; }
    public byte[] Priority { get; }
    /// <summary>Per piece, the peers that announced it by bitfield or HAVE (seeds are in <see cref="Seeds"/>).</summary>
    public int[] Availability { get; }
    public int Seeds;
    public PiecePool Pool { get; }
    /// <summary>Pieces not had with priority &gt; 0, as a mask (see <see cref="PeerBits"/>).</summary>
    public ulong[] WantedMask { get; }
    public int WantedCount;
    public DownloadingPiece?[] Downloading { get; }
    public List<DownloadingPiece> Active { get; } = new();
    /// <summary>Downloading pieces that still have free blocks.</summary>
    public List<DownloadingPiece> WithFree { get; } = new();
    public DeadlineList Deadlines { get; } = new();
    public Dictionary<IPeerView, PeerRecord> Peers { get; } = new(ReferenceEqualityComparer.Instance);
    public bool Sequential;

    public PickerState(PieceLayout layout, PiecePickerOptions options, Random random, Bitfield? have)
    {
        Layout = layout;
        Options = options;
        Random = random;
        int n = layout.PieceCount;
        if (have is not null && have.Length != n) throw new ArgumentException("The have set's length differs from the piece count.", nameof(have));
        Have = new Bitfield(n);
        if (have is not null) for (int i = 0; i < n; i++) if (have[i]) Have.Set(i, true);
        Priority = new byte[n];
        Array.Fill(Priority, DefaultPriority);
        Availability = new int[n];
        Downloading = new DownloadingPiece?[n];
        WantedMask = new ulong[PeerBits.WordCount(n)];
        _stamps = new int[n];
        Pool = new PiecePool(Priority, Availability);
        RebuildWanted();
    }

    public int PieceCount => Layout.PieceCount;

    public bool IsWanted(int piece) => !Have[piece] && Priority[piece] > 0;

    /// <summary>Recomputes the wanted mask and the pool from scratch (after bulk changes).</summary>
    public void RebuildWanted()
    {
        Array.Clear(WantedMask);
        WantedCount = 0;
        for (int p = 0; p < PieceCount; p++)
        {
            if (!IsWanted(p)) continue;
            PeerBits.Set(WantedMask, p, true);
            WantedCount++;
        }
        Pool.RebuildWith(p => IsWanted(p) && Downloading[p] is null);
    }

    /// <summary>Brings the wanted mask and pool membership of one piece in line with its have bit,
    /// priority and download state.</summary>
    public void Reconcile(int piece)
    {
        bool wanted = IsWanted(piece);
        bool wasWanted = (WantedMask[piece >> 6] & PeerBits.Bit(piece)) != 0;
        if (wanted != wasWanted)
        {
            PeerBits.Set(WantedMask, piece, wanted);
            WantedCount += wanted ? 1 : -1;
        }
        bool pooled = wanted && Downloading[piece] is null;
        int level = Pool.LevelOfPiece(piece);
        if (!pooled) { if (level >= 0) Pool.Remove(piece); return; }
        if (level == PiecePool.LevelOf(Priority[piece])) return;
        if (level >= 0) Pool.Remove(piece);
        Pool.Add(piece);
    }

    /// <summary>True when no wanted block that some peer could send is free: the pool holds only
    /// pieces nobody has, and every piece in progress is fully requested or received.</summary>
    public bool AllWantedBlocksBusy()
    {
        if (Pool.Count > 0)
        {
            if (Seeds > 0) return false;
            int unavailable = 0;
            for (int level = 0; level < PiecePool.Levels; level++)
            {
                var (lo, hi) = Pool.Bucket(level, 0);
                unavailable += hi - lo;
            }
            if (Pool.Count > unavailable) return false;
        }
        foreach (var dp in WithFree) if (Priority[dp.Piece] > 0) return false;
        return true;
    }

    // ---- per-call stamps: a piece handled once by one policy is skipped by the later ones.

    public int NextStamp()
    {
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_stamps);
            _stamp = 1;
        }
        return _stamp;
    }

    public bool IsStamped(int piece, int stamp) => _stamps[piece] == stamp;
    public void StampPiece(int piece, int stamp) => _stamps[piece] = stamp;

    // ---- peers and availability

    public PeerRecord RecordOf(IPeerView peer)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(Peers, peer, out _);
        return slot ??= new PeerRecord(peer);
    }

    public void AddAvailability(int piece)
    {
        Availability[piece]++;
        Pool.Incremented(piece);
    }

    public void RemoveAvailability(int piece)
    {
        if (Availability[piece] == 0) return; // tolerate an unbalanced call rather than corrupt the buckets
        Availability[piece]--;
        Pool.Decremented(piece);
    }

    // ---- pieces in progress

    public DownloadingPiece StartPiece(int piece)
    {
        var dp = _spare.Count > 0 ? _spare.Pop() : new DownloadingPiece();
        dp.Reset(piece, Layout.BlockCount(piece));
        Downloading[piece] = dp;
        dp.ActiveIndex = Active.Count;
        Active.Add(dp);
        AddWithFree(dp);
        Pool.Remove(piece);
        return dp;
    }

    /// <summary>Forgets a piece's progress; it returns to the pool if it is still wanted. Requests
    /// still outstanding are dropped from their peers' lists.</summary>
    public void RetirePiece(DownloadingPiece dp)
    {
        foreach (var p in dp.Participants) RemoveFromPeer(p.Peer, p.IndexInPeer);
        dp.Participants.Clear();
        RemoveActive(dp);
        if (dp.WithFreeIndex >= 0) RemoveWithFree(dp);
        Downloading[dp.Piece] = null;
        int piece = dp.Piece;
        dp.Reset(-1, 0);
        _spare.Push(dp);
        Reconcile(piece);
    }

    // ---- block transitions

    /// <summary>Records that <paramref name="peer"/> was asked for the block. False when the block
    /// needs no request (already received) or the peer already has it requested.</summary>
    public bool AddRequest(DownloadingPiece dp, int block, PeerRecord peer)
    {
        switch (dp.States[block])
        {
            case BlockState.Free:
                dp.States[block] = BlockState.Requested;
                dp.Requesters[block] = peer;
                ChangeCounts(dp, free: -1, requested: +1);
                break;
            case BlockState.Requested:
                if (dp.IsRequester(block, peer)) return false;
                dp.Extra.Add((block, peer));
                break;
            default:
                return false;
        }
        Participate(dp, peer, +1);
        return true;
    }

    /// <summary>Withdraws one peer's request for a block; the block is free again once nobody has it
    /// requested. False when the peer had not requested it.</summary>
    public bool RemoveRequest(DownloadingPiece dp, int block, PeerRecord peer)
    {
        if (dp.States[block] != BlockState.Requested) return false;
        if (ReferenceEquals(dp.Requesters[block], peer))
        {
            // Promote an end-game duplicate, if any, to first requester.
            int i = IndexOfExtra(dp, block, null);
            if (i >= 0)
            {
                dp.Requesters[block] = dp.Extra[i].Peer;
                dp.Extra.RemoveAt(i);
            }
            else
            {
                dp.Requesters[block] = null;
                dp.States[block] = BlockState.Free;
                ChangeCounts(dp, free: +1, requested: -1);
            }
        }
        else
        {
            int i = IndexOfExtra(dp, block, peer);
            if (i < 0) return false;
            dp.Extra.RemoveAt(i);
        }
        Participate(dp, peer, -1);
        return true;
    }

    /// <summary>Moves a free or requested block to Writing, reporting every requester other than the
    /// sender into <paramref name="others"/> (their requests should be cancelled).</summary>
    public void MarkWriting(DownloadingPiece dp, int block, PeerRecord sender, List<IPeerView>? others)
    {
        var state = dp.States[block];
        if (state == BlockState.Requested)
        {
            var first = dp.Requesters[block]!;
            ReportOther(first, sender, others);
            Participate(dp, first, -1);
            for (int i = dp.Extra.Count - 1; i >= 0; i--)
            {
                if (dp.Extra[i].Block != block) continue;
                var p = dp.Extra[i].Peer;
                dp.Extra.RemoveAt(i);
                ReportOther(p, sender, others);
                Participate(dp, p, -1);
            }
            dp.Requesters[block] = null;
            ChangeCounts(dp, requested: -1, writing: +1);
        }
        else
        {
            ChangeCounts(dp, free: -1, writing: +1);
        }
        dp.States[block] = BlockState.Writing;
        dp.AddSender(sender.Peer);
    }

    public void MarkFinished(DownloadingPiece dp, int block)
    {
        dp.States[block] = BlockState.Finished;
        ChangeCounts(dp, writing: -1, finished: +1);
    }

    /// <summary>A free block found on disk from an earlier run (resume data's 'unfinished').</summary>
    public void MarkPreWritten(DownloadingPiece dp, int block)
    {
        dp.HasBlocksFromDisk = true;
        dp.States[block] = BlockState.Finished;
        ChangeCounts(dp, free: -1, finished: +1);
    }

    public void MarkWriteFailed(DownloadingPiece dp, int block)
    {
        dp.States[block] = BlockState.Free;
        ChangeCounts(dp, free: +1, writing: -1);
    }

    private static void ReportOther(PeerRecord requester, PeerRecord sender, List<IPeerView>? others)
    {
        if (ReferenceEquals(requester, sender) || others is null || !requester.Connected) return;
        others.Add(requester.Peer);
    }

    private static int IndexOfExtra(DownloadingPiece dp, int block, PeerRecord? peer)
    {
        for (int i = 0; i < dp.Extra.Count; i++)
            if (dp.Extra[i].Block == block && (peer is null || ReferenceEquals(dp.Extra[i].Peer, peer))) return i;
        return -1;
    }

    private void ChangeCounts(DownloadingPiece dp, int free = 0, int requested = 0, int writing = 0, int finished = 0)
    {
        int before = dp.Free;
        dp.Free += free;
        dp.Requested += requested;
        dp.Writing += writing;
        dp.Finished += finished;
        if (before == 0 && dp.Free > 0) AddWithFree(dp);
        else if (before > 0 && dp.Free == 0) RemoveWithFree(dp);
    }

    private static void Participate(DownloadingPiece dp, PeerRecord peer, int delta)
    {
        int i = dp.ParticipantIndex(peer);
        var parts = CollectionsMarshal.AsSpan(dp.Participants);
        if (i < 0)
        {
            if (delta <= 0) return;
            dp.Participants.Add(new DownloadingPiece.Participant { Peer = peer, Outstanding = delta, IndexInPeer = peer.Pieces.Count });
            peer.Pieces.Add(dp);
            return;
        }
        ref var part = ref parts[i];
        part.Outstanding += delta;
        if (part.Outstanding > 0) return;
        // A whole-piece peer that stopped asking for its piece no longer keeps others out of it.
        if (ReferenceEquals(dp.Owner, peer)) dp.Owner = null;
        RemoveFromPeer(peer, part.IndexInPeer);
        int last = dp.Participants.Count - 1;
        parts[i] = parts[last];
        dp.Participants.RemoveAt(last);
    }

    /// <summary>Swap-removes <paramref name="dp"/> from <paramref name="peer"/>'s piece list and
    /// fixes the position the moved piece keeps for that peer.</summary>
    private static void RemoveFromPeer(PeerRecord peer, int index)
    {
        var list = peer.Pieces;
        int last = list.Count - 1;
        var moved = list[last];
        list[index] = moved;
        list.RemoveAt(last);
        if (index == last) return;
        var parts = CollectionsMarshal.AsSpan(moved.Participants);
        for (int i = 0; i < parts.Length; i++)
        {
            if (!ReferenceEquals(parts[i].Peer, peer)) continue;
            parts[i].IndexInPeer = index;
            return;
        }
    }

    private void AddWithFree(DownloadingPiece dp)
    {
        dp.WithFreeIndex = WithFree.Count;
        WithFree.Add(dp);
    }

    private void RemoveWithFree(DownloadingPiece dp)
    {
        int i = dp.WithFreeIndex, last = WithFree.Count - 1;
        var moved = WithFree[last];
        WithFree[i] = moved;
        moved.WithFreeIndex = i;
        WithFree.RemoveAt(last);
        dp.WithFreeIndex = -1;
    }

    private void RemoveActive(DownloadingPiece dp)
    {
        int i = dp.ActiveIndex, last = Active.Count - 1;
        var moved = Active[last];
        Active[i] = moved;
        moved.ActiveIndex = i;
        Active.RemoveAt(last);
        dp.ActiveIndex = -1;
    }
}
