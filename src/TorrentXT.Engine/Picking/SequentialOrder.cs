// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>Lowest piece index first (within the level): the level mask ANDed with the peer's
/// bitfield, a word at a time, skipping empty
/// stretches of the mask.</summary>
internal sealed class SequentialOrder : IPieceOrder
{
    public void Offer(PickerState s, PickContext ctx, int level)
    {
        var mask = s.Pool.LevelMasks[level];
        for (int w = 0; w < mask.Length; w++)
        {
            // Jump over runs of pieces we have or do not want (vectorised).
            int skip = mask.AsSpan(w).IndexOfAnyExcept(0UL);
            if (skip < 0) return;
            w += skip;
            ulong m = mask[w] & ctx.Word(w);
            while (m != 0)
            {
                int piece = PeerBits.FirstPiece(w, m);
                m = PeerBits.ClearFirst(m);
                if (!ctx.TakeFresh(piece)) return;
            }
        }
    }
}
