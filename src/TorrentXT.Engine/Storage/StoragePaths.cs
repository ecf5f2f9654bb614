// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Storage;

/// <summary>Where a torrent's files and its part file live under the save path.</summary>
internal static class StoragePaths
{
    /// <summary>
    /// The full path of <paramref name="relative"/> under <paramref name="saveRoot"/>; throws
    /// <see cref="StorageException"/> (ResolvePath) when it would not stay inside the save path.
    /// </summary>
    public static string Resolve(string saveRoot, string relative, int fileIndex = -1)
    {
        if (PathSanitizer.TryResolveUnder(saveRoot, relative, out string full)) return full;
        throw new StorageException(Path.Join(saveRoot, relative), StorageOperation.ResolvePath, 0, "path is outside the save path")
        {
            FileIndex = fileIndex,
        };
    }

    /// <summary>
    /// libtorrent 2.0's part file name: "." + hex of info_hash_t::get_best() + ".parts", that is the
    /// v2 info-hash cut to 20 bytes when the torrent has one (hybrids too), else the v1 info-hash.
    /// </summary>
    public static string PartFileName(InfoHashes hashes)
    {
        ReadOnlySpan<byte> best = hashes.HasV2 ? hashes.V2Span[..20] : hashes.V1Span;
        return "." + Convert.ToHexStringLower(best) + ".parts";
    }
}
