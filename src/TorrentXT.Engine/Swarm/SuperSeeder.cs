// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// BEP 16 super-seeding for one complete torrent: which pieces each peer in the super-seed view has
/// been told of, and which piece it hears of next. Such a peer starts believing we have nothing; we
/// reveal <see cref="RevealsPerPeer"/> pieces at a time, each the rarest among the pieces the peer
/// lacks (pieces revealed to another peer and not yet passed on count as taken, so one piece is not
/// handed to two peers while others wait), ties broken at random. A revealed piece is retired, and
/// the next one revealed, once the peer itself has it (libtorrent's default rule, the peer finished
/// downloading it); with <c>strict</c> (libtorrent's <c>strict_super_seeding</c>, BEP 16's original
/// rule) only once at least one other peer has it too, unless the peer is alone. Peers not added here
/// (connected before super-seeding started) keep the full view. Not thread-safe: the swarm's lock guards it.
/// </summary>
internal sealed class SuperSeeder<TPeer> where TPeer : class
{
    /// <summary>Pieces revealed to a peer and not yet retired, at most (libtorrent hands out two too):
    /// the second keeps the peer's pipeline busy while the first one's HAVE travels back to us.</summary>
    public const int RevealsPerPeer = 2;

    // A piece revealed to another peer and not yet passed on ranks behind every piece held by
    // fewer than this many peers.
    private const long TakenPenalty = 1L << 32;

    private readonly int _pieceCount;
    private readonly Random _random;
    private readonly Dictionary<TPeer, PeerState> _peers = new(ReferenceEqualityComparer.Instance);
    private readonly int[] _pending; // per piece: peers it is revealed to and not yet retired

    private sealed class PeerState(int pieceCount)
    {
        public readonly Bitfield Revealed = new(pieceCount); // everything this peer was ever told of
        public readonly List<int> Pending = new(RevealsPerPeer);
    }

    public SuperSeeder(int pieceCount, Random random)
    {
        _pieceCount = pieceCount;
        _random = random;
        _pending = new int[pieceCount];
    }

    /// <summary>Peers in the super-seed view.</summary>
    public int PeerCount => _peers.Count;

    /// <summary>Puts a new peer in the super-seed view (it has been told of nothing).</summary>
    public void Add(TPeer peer)
    {
        if (!_peers.ContainsKey(peer)) _peers.Add(peer, new PeerState(_pieceCount));
    }

    /// <summary>True when the peer is in the super-seed view (else it sees every piece).</summary>
    public bool Tracks(TPeer peer) => _peers.ContainsKey(peer);

    /// <summary>A peer left: its pending pieces are free to be revealed to others.</summary>
    public void Remove(TPeer peer)
    {
        if (!_peers.Remove(peer, out var state)) return;
        foreach (int piece in state.Pending) _pending[piece]--;
    }

    /// <summary>Whether the peer may request blocks of the piece: it was told of it, or sees everything.</summary>
    public bool MayRequest(TPeer peer, int piece) =>
        !_peers.TryGetValue(peer, out var state) || ((uint)piece < (uint)_pieceCount && state.Revealed[piece]);

    /// <summary>Whether the piece was revealed to the peer (false for peers outside the super-seed view).</summary>
    public bool WasRevealed(TPeer peer, int piece) => _peers.TryGetValue(peer, out var state) && state.Revealed[piece];

    /// <summary>Pieces revealed to the peer and not yet retired.</summary>
    public IReadOnlyList<int> PendingOf(TPeer peer) => _peers.TryGetValue(peer, out var state) ? state.Pending : Array.Empty<int>();

    /// <summary>Adds the peers other than <paramref name="except"/> that wait on the piece (for the strict rule,
    /// where another peer's HAVE is what retires it).</summary>
    public void PeersWaitingOn(int piece, TPeer except, List<TPeer> into)
    {
        if ((uint)piece >= (uint)_pieceCount || _pending[piece] == 0) return;
        foreach (var (peer, state) in _peers)
            if (!ReferenceEquals(peer, except) && state.Pending.Contains(piece)) into.Add(peer);
    }

    /// <summary>
    /// Retires the peer's pending pieces it has passed on (see the class summary) and reveals new
    /// ones up to <see cref="RevealsPerPeer"/>; the new pieces are added to <paramref name="revealed"/>
    /// for the caller to announce with HAVE. <paramref name="peerHas"/> is null for a peer that told
    /// us nothing; <paramref name="availability"/> counts the connected peers having a piece.
    /// </summary>
    public void Refresh(TPeer peer, Bitfield? peerHas, bool peerHasAll, Func<int, int> availability,
                        bool strict, List<int> revealed)
    {
        if (!_peers.TryGetValue(peer, out var state)) return;
        bool alone = _peers.Count <= 1;
        var pending = state.Pending;
        for (int i = pending.Count - 1; i >= 0; i--)
        {
            int piece = pending[i];
            bool has = peerHasAll || (peerHas is not null && peerHas[piece]);
            if (!has || (strict && !alone && availability(piece) < 2)) continue;
            pending.RemoveAt(i);
            _pending[piece]--;
        }
        if (peerHasAll) return;
        while (pending.Count < RevealsPerPeer)
        {
            int piece = Choose(state, peerHas, availability);
            if (piece < 0) return;
            state.Revealed.Set(piece, true);
            pending.Add(piece);
            _pending[piece]++;
            revealed.Add(piece);
        }
    }

    /// <summary>The rarest piece the peer lacks and was not told of, pieces taken by others last,
    /// ties at random; -1 when there is none.</summary>
    private int Choose(PeerState state, Bitfield? peerHas, Func<int, int> availability)
    {
        int best = -1, ties = 0;
        long bestScore = long.MaxValue;
        for (int piece = 0; piece < _pieceCount; piece++)
        {
            if (state.Revealed[piece] || (peerHas is not null && peerHas[piece])) continue;
            long score = availability(piece) + _pending[piece] * TakenPenalty;
            if (score > bestScore) continue;
            if (score < bestScore)
            {
                bestScore = score;
                best = piece;
                ties = 1;
                continue;
            }
            // Reservoir sampling: each tied piece ends up chosen with the same probability.
            if (_random.Next(++ties) == 0) best = piece;
        }
        return best;
    }
}
