// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>Any piece of the level the peer has, at random, ignoring rarity: used until the first
/// few pieces are complete, because a random piece is on average more available than the rarest
/// one and so completes sooner, giving us something to trade.</summary>
internal sealed class RandomFirstOrder : IPieceOrder
{
    private readonly List<int> _candidates = new();

    public void Offer(PickerState s, PickContext ctx, int level)
    {
        if (!ctx.HasAll && (long)ctx.PeerPieceCount * 16 < s.Pool.LevelCount(level))
        {
            OfferSparse(s, ctx, level);
            return;
        }
        PoolWalk.OfferRange(s, ctx, s.Pool.Level(level));
    }

    // The peer's pieces that are in the level, drawn at random one after another.
    private void OfferSparse(PickerState s, PickContext ctx, int level)
    {
        var mask = s.Pool.LevelMasks[level];
        _candidates.Clear();
        var bits = new SetBits(ctx.Bits);
        while (bits.MoveNext())
        {
            int piece = bits.Current;
            if (PeerBits.Test(mask, piece) && !ctx.IsHandled(piece)) _candidates.Add(piece);
        }
        while (_candidates.Count > 0)
        {
            int at = s.Random.Next(_candidates.Count);
            int piece = _candidates[at];
            _candidates[at] = _candidates[^1];
            _candidates.RemoveAt(_candidates.Count - 1);
            if (!ctx.TakeFresh(piece)) return;
        }
    }
}
