// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>Where one block of a piece that is being downloaded stands.</summary>
public enum BlockState : byte
{
    /// <summary>Nobody has it requested; it may be picked.</summary>
    Free = 0,
    /// <summary>Requested from one peer (or, in end-game, from a few).</summary>
    Requested = 1,
    /// <summary>Received; its bytes are on their way to disk.</summary>
    Writing = 2,
    /// <summary>Written to disk; waits for the piece's hash check.</summary>
    Finished = 3,
}
