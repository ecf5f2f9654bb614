// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Hashing;

/// <summary>
/// Whether a piece's computed hashes are the ones the torrent promises: the v1 SHA-1 and/or the v2
/// node of the piece's file (a hybrid piece must pass both). Shared by <see cref="PieceChecker"/> and the storage's streaming hashes.
/// </summary>
internal static class PieceExpectations
{
    public static bool Matches(TorrentInfo info, PieceSpace space, int piece, ReadOnlySpan<byte> sha1, ReadOnlySpan<byte> v2Node, int owner)
    {
        if (info.HasV1 && !sha1.SequenceEqual(info.V1PieceHash(piece))) return false;
        if (!info.HasV2 || owner < 0) return true;
        // The layer entry of the piece; for a file of at most one piece, its root (the layer's only entry).
        var layer = info.PieceLayer(owner).Span;
        long index = (space.PieceStart(piece) - space.Segments[owner].Offset) / space.PieceLength;
        long at = index * Merkle.HashSize;
        // Without the file's piece layer (metadata from a magnet, say) only v1 can vouch for the piece.
        if (at + Merkle.HashSize > layer.Length) return info.HasV1;
        return v2Node.SequenceEqual(layer.Slice((int)at, Merkle.HashSize));
    }

    /// <summary>The v2 node of a piece from its leaf hashes, padded as <see cref="Merkle.PieceRoot"/> pads.</summary>
    public static void V2Node(ReadOnlySpan<byte> leaves32, int pieceLength, long fileSize, Span<byte> node32)
    {
        long padded = fileSize > pieceLength ? Merkle.LeavesPerPiece(pieceLength) : Merkle.PowerOfTwoAtLeast(Merkle.LeafCount(fileSize));
        Merkle.RootFromLayer(leaves32, 0, padded, node32);
    }
}
