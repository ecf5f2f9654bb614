// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>Pieces with a deadline, earliest first, before anything else (streaming). Snubbed peers
/// are not given them: an urgent piece must not wait on a peer that stopped sending.</summary>
internal sealed class DeadlineStage : IPickStage
{
    public void Run(PickerState s, PickContext ctx)
    {
        if (ctx.Snubbed) return;
        for (int i = 0; i < s.Deadlines.Count && !ctx.Full; i++)
        {
            int piece = s.Deadlines[i].Piece;
            if (!s.IsWanted(piece)) continue;
            var dp = s.Downloading[piece];
            if (dp is not null) ctx.TakeFree(dp);
            else ctx.TakeFresh(piece);
        }
    }
}
