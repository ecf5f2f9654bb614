// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Creation;

/// <summary>
/// Makes a .torrent from files on disk, producing the same info dictionary as libtorrent 2.0.8's
/// add_files + create_torrent + set_piece_hashes for the same content, piece size and flags
/// (contract §8). Hashing runs on all cores.
/// </summary>
public static class TorrentCreator
{
    /// <summary>
    /// Scans <see cref="CreateTorrentOptions.ContentPath"/>, hashes it and returns the bencoded torrent.
    /// <paramref name="creationDate"/> (Unix seconds) becomes "creation date"; 0 or less leaves the key out.
    /// Blocks while it reads the content.
    /// </summary>
    /// <exception cref="CreateTorrentException">with the contract's text</exception>
    public static byte[] Create(CreateTorrentOptions o, long creationDate)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (string.IsNullOrEmpty(o.ContentPath)) throw new CreateTorrentException("empty content path");
        var content = ContentScanner.Scan(StripTrailingSeparators(o.ContentPath));
        return Create(content, o, creationDate, Environment.ProcessorCount);
    }

    /// <summary>The steps after the scan; tests call it with a hand-made file list in a fixed order.</summary>
    internal static byte[] Create(ScannedContent content, CreateTorrentOptions o, long creationDate, int parallelism)
    {
        var flags = (CreateTorrentFlags)o.Flags;
        if (content.Files.Count == 0) throw CreateTorrentException.NoFiles();

        // libtorrent's constructor gives up quietly on empty content and the hashing step then fails,
        // before the piece size or the flags are looked at.
        long total = content.TotalSize;
        if (total == 0) throw CreateTorrentException.HashingFailed("invalid length of torrent");

        int pieceLength = PieceSizePolicy.Resolve(o.PieceSize, total, flags) ?? throw CreateTorrentException.InvalidPieceSize();
        bool v1Only = (flags & CreateTorrentFlags.V1Only) != 0;
        bool v2Only = (flags & CreateTorrentFlags.V2Only) != 0;
        // libtorrent fails this only when generating, after hashing; failing first saves the work.
        if (v1Only && v2Only) throw CreateTorrentException.BothV1AndV2Only();

        var layout = TorrentLayout.Build(content, pieceLength, flags);
        bool v1 = !v2Only, v2 = !v1Only;
        var hashes = ContentHasher.Hash(layout, pieceLength, v1, v2, parallelism);
        return MetainfoWriter.Write(content, layout, hashes, pieceLength, v1, v2,
            withMTime: (flags & CreateTorrentFlags.ModificationTime) != 0,
            TrackerList.Parse(o.Trackers), creationDate);
    }

    /// <summary>Contract D8: "dir/" names the same content as "dir" (the original failed to hash it).</summary>
    internal static string StripTrailingSeparators(string path)
    {
        int end = path.Length;
        while (end > 1 && (path[end - 1] == '/' || path[end - 1] == '\\')) end--;
        return path[..end];
    }
}
