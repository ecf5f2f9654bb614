// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

// A self-check for tests and debugging: O(pieces + blocks), never called by the engine.
public sealed partial class PiecePicker
{
    /// <summary>Throws <see cref="InvalidOperationException"/> when the picker's indexes disagree
    /// with each other (pool membership, counters, per-peer lists).</summary>
    internal void CheckInvariants()
    {
        int wanted = 0;
        for (int p = 0; p < PieceCount; p++)
        {
            bool isWanted = _s.IsWanted(p);
            if (isWanted) wanted++;
            bool inMask = (_s.WantedMask[p >> 6] & PeerBits.Bit(p)) != 0;
            Require(inMask == isWanted, $"piece {p}: wanted mask");
            var dp = _s.Downloading[p];
            bool pooled = isWanted && dp is null;
            Require(_s.Pool.Contains(p) == pooled, $"piece {p}: pool membership");
            if (pooled) Require(_s.Pool.LevelOfPiece(p) == PiecePool.LevelOf(_s.Priority[p]), $"piece {p}: pool level");
            if (dp is null) continue;
            Require(dp.Piece == p && _s.Active[dp.ActiveIndex] == dp, $"piece {p}: active list");
            int free = 0, requested = 0, writing = 0, finished = 0;
            for (int b = 0; b < dp.BlockCount; b++)
            {
                switch (dp.States[b])
                {
                    case BlockState.Free: free++; Require(dp.Requesters[b] is null, $"piece {p} block {b}: free with requester"); break;
                    case BlockState.Requested: requested++; Require(dp.Requesters[b] is not null, $"piece {p} block {b}: requested without requester"); break;
                    case BlockState.Writing: writing++; break;
                    default: finished++; break;
                }
            }
            Require(free == dp.Free && requested == dp.Requested && writing == dp.Writing && finished == dp.Finished, $"piece {p}: block counters");
            Require((dp.WithFreeIndex >= 0) == (dp.Free > 0), $"piece {p}: with-free list");
            foreach (var part in dp.Participants)
            {
                int outstanding = 0;
                for (int b = 0; b < dp.BlockCount; b++)
                    if (dp.States[b] == BlockState.Requested && dp.IsRequester(b, part.Peer)) outstanding++;
                Require(outstanding == part.Outstanding && outstanding > 0, $"piece {p}: outstanding count");
                Require(ReferenceEquals(part.Peer.Pieces[part.IndexInPeer], dp), $"piece {p}: peer list index");
            }
        }
        Require(wanted == _s.WantedCount, "wanted count");
        int pooledTotal = 0;
        for (int l = 0; l < PiecePool.Levels; l++) pooledTotal += _s.Pool.LevelCount(l);
        Require(pooledTotal == _s.Pool.Count, "pool level counts");
        for (int i = 0; i < _s.Pool.Count; i++)
        {
            int p = _s.Pool.PieceAt(i);
            var (lo, hi) = _s.Pool.Bucket(PiecePool.LevelOf(_s.Priority[p]), _s.Availability[p]);
            Require(i >= lo && i < hi, $"piece {p}: availability bucket");
        }
    }

    private static void Require(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException("Picker invariant broken: " + what);
    }
}
