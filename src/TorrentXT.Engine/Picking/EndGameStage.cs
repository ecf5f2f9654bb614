// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>
/// End-game: once every wanted block is requested or finished (or, without strict end-game, as soon
/// as this peer found nothing free), ask this peer too for blocks others already have requested,
/// those with the fewest requesters first, never beyond
/// <see cref="PiecePickerOptions.EndGameMaxRequestersPerBlock"/> requesters per block. The first copy
/// to arrive wins; <see cref="PiecePicker.OnBlockReceived"/> names the requests to cancel.
/// </summary>
internal sealed class EndGameStage : IPickStage
{
    public void Run(PickerState s, PickContext ctx)
    {
        if (ctx.Full || ctx.HasNothing) return;
        if (s.Options.StrictEndGameMode && !s.AllWantedBlocksBusy()) return;
        int max = s.Options.EndGameMaxRequestersPerBlock;
        for (int requesters = 1; requesters < max; requesters++)
            foreach (var dp in s.Active)
            {
                if (dp.Requested == 0 || s.Priority[dp.Piece] == 0 || !ctx.MayRequest(dp.Piece)) continue;
                for (int b = 0; b < dp.BlockCount; b++)
                {
                    if (dp.States[b] != BlockState.Requested || dp.RequesterCount(b) != requesters) continue;
                    if (dp.IsRequester(b, ctx.Record)) continue;
                    if (!ctx.TakeBusy(dp.Piece, b)) return;
                }
            }
    }
}
