// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace TorrentXT.Engine.Picking;

/// <summary>
/// Per-block state of one piece in progress. Objects are recycled through the picker's spare stack,
/// so their arrays only ever grow to the largest piece seen.
/// </summary>
internal sealed class DownloadingPiece
{
    /// <summary>A peer with requests outstanding in this piece, and where this piece sits in the
    /// peer's own list (for O(1) removal).</summary>
    public struct Participant
    {
        public PeerRecord Peer;
        public int Outstanding;
        public int IndexInPeer;
    }

    public int Piece;
    public int BlockCount;
    public BlockState[] States = [];
    /// <summary>The first peer each requested block was asked from.</summary>
    public PeerRecord?[] Requesters = [];
    /// <summary>End-game duplicates: further peers a block was requested from.</summary>
    public readonly List<(int Block, PeerRecord Peer)> Extra = new();
    public readonly List<Participant> Participants = new();
    /// <summary>Distinct peers that delivered blocks of this piece (reported when the hash fails).</summary>
    public readonly List<IPeerView> Senders = new();
    /// <summary>Some blocks were on disk before any peer sent one (resume data's unfinished pieces).</summary>
    public bool HasBlocksFromDisk;
    public int Free, Requested, Writing, Finished;
    /// <summary>A whole-piece peer that reserved the piece; others keep out of it outside end-game.</summary>
    public PeerRecord? Owner;
    public int ActiveIndex = -1;
    public int WithFreeIndex = -1;

    public void Reset(int piece, int blockCount)
    {
        Piece = piece;
        BlockCount = blockCount;
        if (States.Length < blockCount)
        {
            States = new BlockState[blockCount];
            Requesters = new PeerRecord?[blockCount];
        }
        else
        {
            Array.Clear(States, 0, blockCount);
            Array.Clear(Requesters, 0, blockCount);
        }
        Extra.Clear();
        Participants.Clear();
        Senders.Clear();
        HasBlocksFromDisk = false;
        Free = blockCount;
        Requested = Writing = Finished = 0;
        Owner = null;
        ActiveIndex = WithFreeIndex = -1;
    }

    /// <summary>Whether any block is requested, being written or finished.</summary>
    public bool IsEmpty => Free == BlockCount;

    public int RequesterCount(int block)
    {
        if (Requesters[block] is null) return 0;
        int n = 1;
        foreach (var e in Extra) if (e.Block == block) n++;
        return n;
    }

    public bool IsRequester(int block, PeerRecord peer)
    {
        if (ReferenceEquals(Requesters[block], peer)) return true;
        foreach (var e in Extra) if (e.Block == block && ReferenceEquals(e.Peer, peer)) return true;
        return false;
    }

    public int ParticipantIndex(PeerRecord peer)
    {
        var span = CollectionsMarshal.AsSpan(Participants);
        for (int i = 0; i < span.Length; i++) if (ReferenceEquals(span[i].Peer, peer)) return i;
        return -1;
    }

    public int OutstandingOf(PeerRecord peer)
    {
        int i = ParticipantIndex(peer);
        return i < 0 ? 0 : Participants[i].Outstanding;
    }

    public void AddSender(IPeerView peer)
    {
        foreach (var s in Senders) if (ReferenceEquals(s, peer)) return;
        Senders.Add(peer);
    }
}
