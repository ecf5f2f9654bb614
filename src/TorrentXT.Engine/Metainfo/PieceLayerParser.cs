// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// Reads and verifies the top-level 'piece layers' of a v2 torrent as libtorrent 2.0.8 does. The
/// dictionary may be absent (like a magnet, the hashes then come from peers), but whatever is
/// present must be right: every entry must be keyed by the pieces root of a file larger than one
/// piece, hold exactly one 32-byte hash per piece of that file, and hash up to that root; anything
/// else rejects the torrent with "a piece layer is invalid".
/// </summary>
internal static class PieceLayerParser
{
    /// <summary>Per file index, the verified layer, or null where none was given or none is needed.</summary>
    public static byte[]?[] Parse(BValue? layers, FileStorageBuilder files)
    {
        var result = new byte[]?[files.Count];
        if (layers is null || !layers.IsDictionary) return result;

        // Files that need a layer, by root. Identical files share a root and then share the layer.
        var byRoot = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < files.Count; i++)
        {
            var f = files.Files[i];
            if (f.Size <= files.PieceLength || f.Root is null) continue;
            string key = Convert.ToHexString(f.Root);
            if (!byRoot.TryGetValue(key, out var list)) byRoot[key] = list = new List<int>(1);
            list.Add(i);
        }

        byte[] pad = MerkleRoot.PadHash(MerkleRoot.PieceLayerDepth(files.PieceLength));
        foreach (var (rootKey, value) in layers.Entries)
        {
            if (rootKey.Length != MerkleRoot.HashSize || !value.IsString || value.Bytes.Length % MerkleRoot.HashSize != 0)
                throw Invalid();
            // Each root may be given once, and only for a file of this torrent.
            if (!byRoot.Remove(Convert.ToHexString(rootKey.Span), out var owners)) throw Invalid();

            var file = files.Files[owners[0]];
            long numPieces = (file.Size + files.PieceLength - 1) / files.PieceLength;
            if (value.Bytes.Length != numPieces * MerkleRoot.HashSize) throw Invalid();
            if (!MerkleRoot.RootOfLayer(value.Bytes.Span, pad).AsSpan().SequenceEqual(file.Root)) throw Invalid();

            byte[] layer = value.Bytes.ToArray();
            foreach (int i in owners) result[i] = layer;
        }
        return result;
    }

    private static MetainfoException Invalid() => new(MetainfoErrors.InvalidPieceLayer);
}
