// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Creation;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Storage;

namespace TorrentXT.Engine.Tests.Storage;

/// <summary>
/// A torrent whose pieces have several 16 KiB blocks (the shared vectors mostly have one block per
/// piece): two files of odd sizes under <c>pack/</c> in 64 KiB pieces, so the last piece is short
/// and (hybrid, v2) pad files and per-file pieces appear.
/// </summary>
internal static class MultiBlockContent
{
    public const int PieceSize = 64 * 1024;
    public const int BlockSize = 16 * 1024;

    /// <summary>Writes the content under <paramref name="savePath"/> and returns its torrent.</summary>
    public static TorrentInfo Create(string savePath, CreateTorrentFlags flags)
    {
        string root = Path.Combine(savePath, "pack");
        Directory.CreateDirectory(root);
        var random = new Random(7);
        foreach (var (name, size) in new[] { ("a.bin", 150_001), ("b.bin", 97_123) })
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(root, name), bytes);
        }
        return TorrentInfo.Load(TorrentCreator.Create(new CreateTorrentOptions(root, PieceSize, (uint)flags, null), 0));
    }

    /// <summary>Every block as (piece, offset, length).</summary>
    public static List<(int Piece, int Offset, int Length)> Blocks(TorrentInfo info) => StorageVectors.Blocks(info, BlockSize);

    /// <summary>The piece-space bytes of one block (pads as zeros), read from a complete copy.</summary>
    public static byte[] Read(TorrentStorage complete, int piece, int offset, int length)
    {
        var b = new byte[length];
        complete.ReadBlock(piece, offset, b);
        return b;
    }
}
