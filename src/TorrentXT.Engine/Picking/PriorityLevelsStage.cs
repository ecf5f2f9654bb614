// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>Runs its level steps for priority 7 first and 1 last, so a higher priority always wins
/// over everything the level steps prefer (partials, rarity, randomness, order).</summary>
internal sealed class PriorityLevelsStage(params ILevelStage[] steps) : IPickStage
{
    public void Run(PickerState s, PickContext ctx)
    {
        for (int priority = 7; priority >= 1 && !ctx.Full; priority--)
            foreach (var step in steps)
            {
                if (ctx.Full) return;
                step.Run(s, ctx, priority);
            }
    }
}
