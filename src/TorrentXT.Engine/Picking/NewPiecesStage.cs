// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>
/// Starts pieces nobody is downloading, in the order that fits the moment:
/// allowed-fast only while the peer chokes us; else sequential when that flag is set; else random
/// until <see cref="PiecePickerOptions.InitialPickerThreshold"/> pieces are complete; else rarest
/// first (most common first for a snubbed peer, which should not sit on rare pieces).
/// </summary>
internal sealed class NewPiecesStage : ILevelStage
{
    private readonly IPieceOrder _allowedFast = new AllowedFastOrder();
    private readonly IPieceOrder _sequential = new SequentialOrder();
    private readonly IPieceOrder _random = new RandomFirstOrder();
    private readonly IPieceOrder _rarest = new RarestFirstOrder();

    public void Run(PickerState s, PickContext ctx, int priority)
    {
        int level = PiecePool.LevelOf(priority);
        if (s.Pool.LevelCount(level) == 0 || ctx.HasNothing) return;
        Choose(s, ctx).Offer(s, ctx, level);
    }

    private IPieceOrder Choose(PickerState s, PickContext ctx)
    {
        if (ctx.Choked) return _allowedFast;
        if (s.Sequential) return _sequential;
        if (s.Have.Count < s.Options.InitialPickerThreshold) return _random;
        return _rarest;
    }
}
