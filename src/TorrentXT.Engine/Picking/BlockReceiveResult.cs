// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>What the picker thinks of a block that just arrived.</summary>
public enum BlockReceiveResult
{
    /// <summary>New data we need: write it, then call <see cref="PiecePicker.OnBlockWritten"/>.</summary>
    Accepted,
    /// <summary>Another peer delivered it first (end-game) or we already have the piece: drop it.</summary>
    Duplicate,
    /// <summary>The piece has priority 0 and nothing of it is in progress: drop it.</summary>
    NotWanted,
    /// <summary>Piece index, offset or length do not describe a block of this torrent.</summary>
    Invalid,
}
