// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Hashing;
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Resume;

/// <summary>
/// libtorrent's 'trees' key: per file, the known nodes of its BEP 52 merkle tree. Nodes are
/// numbered breadth first from the root (0); the leaves are 16 KiB blocks, padded to a power of
/// two. 'mask' has one '0'/'1' per node of the whole tree saying which nodes 'hashes' holds (in
/// node order); 'verified' has one character per leaf. We write the piece layer (what a .torrent
/// carries), and read back whichever layer a blob holds, computing the piece layer from leaf
/// hashes when libtorrent saved those instead.
/// </summary>
public static class ResumeTrees
{
    /// <summary>One tree per file in file order, as libtorrent writes them; empty for a v1-only torrent.</summary>
    public static List<ResumeTree> FromInfo(TorrentInfo info)
    {
        var trees = new List<ResumeTree>();
        if (!info.HasV2) return trees;
        var fs = info.Files;
        int leavesPerPiece = Merkle.LeavesPerPiece(fs.PieceLength);
        for (int i = 0; i < fs.Count; i++)
        {
            var f = fs.Files[i];
            if (f.IsPad || f.Size == 0 || f.PiecesRoot is null)
            {
                trees.Add(new ResumeTree(Array.Empty<byte>(), null, null));
                continue;
            }
            long leaves = Merkle.LeafCount(f.Size);
            long padded = Merkle.PowerOfTwoAtLeast(leaves);
            var mask = new StringBuilder((int)(2 * padded - 1)).Append('0', (int)(2 * padded - 1));
            // 16 KiB pieces: the piece layer is the leaf layer, which libtorrent marks verified.
            string verified = new(leavesPerPiece == 1 ? '1' : '0', (int)leaves);
            var layer = info.PieceLayer(i);
            if (f.Size <= fs.PieceLength || layer.Length == 0)
            {
                trees.Add(new ResumeTree(Array.Empty<byte>(), mask.ToString(), verified));
                continue;
            }
            long pieceNodes = Math.Max(1, padded / leavesPerPiece);
            long first = pieceNodes - 1;
            int count = layer.Length / Merkle.HashSize;
            for (int p = 0; p < count; p++) mask[(int)(first + p)] = '1';
            trees.Add(new ResumeTree(layer.ToArray(), mask.ToString(), verified));
        }
        return trees;
    }

    /// <summary>
    /// The 'piece layers' dictionary (bencoded, keyed by pieces root) rebuilt from a blob's trees for
    /// the files of <paramref name="info"/> that need one; null when no file's layer can be rebuilt.
    /// Every layer is checked against its file's pieces root, so a wrong tree is simply not used.
    /// </summary>
    public static BValue? PieceLayers(TorrentInfo info, IReadOnlyList<ResumeTree> trees)
    {
        if (!info.HasV2 || trees.Count == 0) return null;
        var fs = info.Files;
        var dict = new BDict();
        for (int i = 0; i < fs.Count && i < trees.Count; i++)
        {
            var f = fs.Files[i];
            if (f.IsPad || f.PiecesRoot is null || f.Size <= fs.PieceLength) continue;
            var layer = LayerOf(trees[i], f.Size, fs.PieceLength);
            if (layer is null) continue;
            if (!Merkle.RootFromPieceLayer(layer, fs.PieceLength, f.Size).AsSpan().SequenceEqual(f.PiecesRoot)) continue;
            dict.Add(f.PiecesRoot, layer);
        }
        return dict.Count == 0 ? null : BencodeReader.Decode(BencodeWriter.Encode(dict));
    }

    private static byte[]? LayerOf(ResumeTree tree, long fileSize, int pieceLength)
    {
        if (tree.Mask is not { } mask) return null;
        long leaves = Merkle.LeafCount(fileSize);
        long padded = Merkle.PowerOfTwoAtLeast(leaves);
        if (mask.Length != 2 * padded - 1) return null;
        var known = new Dictionary<long, int>();
        int next = 0;
        for (int n = 0; n < mask.Length; n++)
        {
            if (mask[n] != '1') continue;
            if ((next + 1) * Merkle.HashSize > tree.Hashes.Length) return null;
            known[n] = next++;
        }
        int leavesPerPiece = Merkle.LeavesPerPiece(pieceLength);
        long pieceNodes = padded / leavesPerPiece;
        int pieces = (int)((fileSize + pieceLength - 1) / pieceLength);
        var layer = new byte[pieces * Merkle.HashSize];
        var leafHashes = new byte[leavesPerPiece * Merkle.HashSize];
        for (int p = 0; p < pieces; p++)
        {
            var dest = layer.AsSpan(p * Merkle.HashSize, Merkle.HashSize);
            if (known.TryGetValue(pieceNodes - 1 + p, out int at))
            {
                tree.Hashes.AsSpan(at * Merkle.HashSize, Merkle.HashSize).CopyTo(dest);
                continue;
            }
            // Rebuild the piece's node from its leaves; leaves past the end of the file are zero hashes.
            int real = (int)Math.Min(leavesPerPiece, leaves - (long)p * leavesPerPiece);
            for (int l = 0; l < real; l++)
            {
                if (!known.TryGetValue(padded - 1 + (long)p * leavesPerPiece + l, out int leaf)) return null;
                tree.Hashes.AsSpan(leaf * Merkle.HashSize, Merkle.HashSize).CopyTo(leafHashes.AsSpan(l * Merkle.HashSize));
            }
            Merkle.RootFromLayer(leafHashes.AsSpan(0, real * Merkle.HashSize), 0, leavesPerPiece, dest);
        }
        return layer;
    }
}
