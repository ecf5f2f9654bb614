// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>One step of the pick pipeline; it offers pieces to the context until it is full or the
/// step has nothing more to give. Steps never change picker state.</summary>
internal interface IPickStage
{
    void Run(PickerState s, PickContext ctx);
}

/// <summary>A step run once per priority level, 7 down to 1.</summary>
internal interface ILevelStage
{
    void Run(PickerState s, PickContext ctx, int priority);
}

/// <summary>An order in which not-yet-started pieces of one priority level are offered.</summary>
internal interface IPieceOrder
{
    void Offer(PickerState s, PickContext ctx, int level);
}
