// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>Offers a range of the pool's order array starting at a random offset and wrapping
/// around: the random tie-break among pieces that rank equal.</summary>
internal static class PoolWalk
{
    /// <summary>Returns false once the context is full.</summary>
    public static bool OfferRange(PickerState s, PickContext ctx, (int Lo, int Hi) range)
    {
        int len = range.Hi - range.Lo;
        if (len <= 0) return true;
        int start = range.Lo + s.Random.Next(len);
        for (int i = start; i < range.Hi; i++)
            if (!Offer(s, ctx, i)) return false;
        for (int i = range.Lo; i < start; i++)
            if (!Offer(s, ctx, i)) return false;
        return true;
    }

    private static bool Offer(PickerState s, PickContext ctx, int index)
    {
        int piece = s.Pool.PieceAt(index);
        if (!ctx.PeerHas(piece)) return true;
        return ctx.TakeFresh(piece);
    }
}
