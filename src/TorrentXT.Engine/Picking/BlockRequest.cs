// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>One block to request from (or that arrived from) a peer: piece index, byte offset inside
/// the piece (a multiple of <see cref="PieceLayout.BlockSize"/>) and length (16 KiB, or less for the
/// last block of the torrent's last piece).</summary>
public readonly record struct BlockRequest(int Piece, int Offset, int Length)
{
    /// <summary>The block's index inside its piece.</summary>
    public int Block => Offset / PieceLayout.BlockSize;
}
