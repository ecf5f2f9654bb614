// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>
/// Rarest first with a random tie-break: walks the level's availability buckets from the lowest
/// (highest for a snubbed peer), each from a random offset. For a peer that has few of the pool's
/// pieces, walking buckets would mostly probe pieces it lacks, so it walks the peer's set bits instead
/// (skipping zero bytes vectorised) and keeps the rarest.
/// </summary>
internal sealed class RarestFirstOrder : IPieceOrder
{
    // Below one piece in this many of the level, the peer counts as sparse.
    private const int SparseRatio = 16;

    private readonly List<int> _ties = new();

    public void Offer(PickerState s, PickContext ctx, int level)
    {
        if (!ctx.HasAll && (long)ctx.PeerPieceCount * SparseRatio < s.Pool.LevelCount(level))
        {
            OfferSparse(s, ctx, level);
            return;
        }
        int cap = s.Pool.AvailabilityBuckets;
        // A peer that is not a seed was counted in the availability of every piece it has.
        int lowest = ctx.HasAll ? 0 : 1;
        if (ctx.Snubbed)
        {
            for (int a = cap - 1; a >= lowest; a--)
                if (!PoolWalk.OfferRange(s, ctx, s.Pool.Bucket(level, a))) return;
        }
        else
        {
            for (int a = lowest; a < cap; a++)
                if (!PoolWalk.OfferRange(s, ctx, s.Pool.Bucket(level, a))) return;
        }
    }

    // The rarest of the peer's pieces in the level; ties collected, then one drawn at random.
    private void OfferSparse(PickerState s, PickContext ctx, int level)
    {
        var mask = s.Pool.LevelMasks[level];
        while (!ctx.Full)
        {
            int bestKey = int.MaxValue;
            _ties.Clear();
            var bits = new SetBits(ctx.Bits);
            while (bits.MoveNext())
            {
                int piece = bits.Current;
                if (!PeerBits.Test(mask, piece) || ctx.IsHandled(piece)) continue;
                int key = ctx.Snubbed ? -s.Availability[piece] : s.Availability[piece];
                if (key > bestKey) continue;
                if (key < bestKey) { bestKey = key; _ties.Clear(); }
                _ties.Add(piece);
            }
            if (_ties.Count == 0 || !ctx.TakeFresh(_ties[s.Random.Next(_ties.Count)])) return;
        }
    }
}
