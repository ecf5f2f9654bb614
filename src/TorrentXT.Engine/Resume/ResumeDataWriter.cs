// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Net.Sockets;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Resume;

/// <summary>What a blob may leave out to fit under a size cap, from least to most costly to lose.</summary>
[Flags]
public enum ResumeOmissions
{
    None = 0,
    /// <summary>The info dictionary: the torrent then needs its metadata from peers (or the app).</summary>
    Info = 1,
    /// <summary>v2 merkle trees: a complete torrent recomputes them from its data, a partial one asks peers.</summary>
    Trees = 2,
    /// <summary>Piece priorities, when the file priorities imply them; peers (found again from trackers/DHT).</summary>
    Derivable = 4,
    /// <summary>The per-piece map of a complete torrent, replaced by seed mode plus our all-pieces marker.</summary>
    PieceMap = 8,
}

/// <summary>
/// Writes libtorrent's resume format (the keys <c>write_resume_data</c> of 2.0 writes, with their
/// meanings), so libtorrent's <c>read_resume_data</c> loads our blobs and we load its blobs.
/// </summary>
public static class ResumeDataWriter
{
    public const string Version = "2.0.8.0";

    /// <summary>
    /// The fullest blob that is at most <paramref name="cap"/> bytes, leaving out as needed, in this
    /// order: the info dictionary, the v2 trees, derivable keys (piece priorities the file priorities
    /// imply, peers), and for a complete torrent the per-piece map. When even that is larger (only a
    /// partial torrent can be: its piece map is a byte per piece), the most compact form is returned
    /// and <paramref name="fits"/> is false.
    /// </summary>
    public static byte[] WriteWithin(ResumeData data, int cap, out bool fits)
    {
        byte[] blob = Write(data, ResumeOmissions.None);
        foreach (var omit in new[] { ResumeOmissions.Info, ResumeOmissions.Info | ResumeOmissions.Trees,
                     ResumeOmissions.Info | ResumeOmissions.Trees | ResumeOmissions.Derivable,
                     ResumeOmissions.Info | ResumeOmissions.Trees | ResumeOmissions.Derivable | ResumeOmissions.PieceMap })
        {
            if (blob.Length <= cap) break;
            if ((omit & ResumeOmissions.PieceMap) != 0 && !IsComplete(data)) break;
            blob = Write(data, omit);
        }
        fits = blob.Length <= cap;
        return blob;
    }

    private static bool IsComplete(ResumeData d) =>
        d.AllPieces || (d.Pieces is { Length: > 0 } p && !p.AsSpan().ContainsAnyExcept((byte)1, (byte)3));

    public static byte[] Write(ResumeData d, ResumeOmissions omit = ResumeOmissions.None)
    {
        var root = new BDict
        {
            ["file-format"] = ResumeKeys.FileFormat,
            ["file-version"] = ResumeKeys.FileVersion,
            ["libtorrent-version"] = Version,
            ["allocation"] = "sparse",
            ["info-hash"] = d.InfoHashV1 ?? new byte[20],
            ["info-hash2"] = d.InfoHashV2 ?? new byte[32],
            ["name"] = d.Name,
            ["save_path"] = d.SavePath,
            ["total_uploaded"] = d.TotalUploaded,
            ["total_downloaded"] = d.TotalDownloaded,
            ["active_time"] = d.ActiveTime,
            ["finished_time"] = d.FinishedTime,
            ["seeding_time"] = d.SeedingTime,
            ["last_seen_complete"] = d.LastSeenComplete,
            ["last_download"] = d.LastDownload,
            ["last_upload"] = d.LastUpload,
            ["num_complete"] = d.NumComplete,
            ["num_incomplete"] = d.NumIncomplete,
            ["num_downloaded"] = d.NumDownloaded,
            ["added_time"] = d.AddedTime,
            ["completed_time"] = d.CompletedTime,
            ["upload_rate_limit"] = d.UploadLimit <= 0 ? -1 : d.UploadLimit,
            ["download_rate_limit"] = d.DownloadLimit <= 0 ? -1 : d.DownloadLimit,
            ["max_connections"] = d.MaxConnections,
            ["max_uploads"] = d.MaxUploads,
        };
        var flags = d.Flags;
        if ((omit & ResumeOmissions.PieceMap) != 0)
        {
            // Complete: libtorrent's seed mode says "all pieces are here" without a byte per piece;
            // our marker tells our reader it was not an app-requested seed mode.
            flags |= TorrentFlags.SeedMode;
            root["btx-all-pieces"] = 1;
            root["pieces"] = Array.Empty<byte>();
        }
        else if (d.AllPieces) root["pieces"] = Array.Empty<byte>();
        else root["pieces"] = d.Pieces ?? Array.Empty<byte>();
        foreach (var (key, flag) in ResumeKeys.FlagKeys) root[key] = (flags & flag) != 0 ? 1 : 0;

        if (d.InfoDict is { } info && (omit & ResumeOmissions.Info) == 0) root["info"] = new BRaw(info);
        if (d.Trees.Count > 0 && (omit & ResumeOmissions.Trees) == 0) root["trees"] = Trees(d.Trees);
        if (d.Unfinished.Count > 0)
        {
            var list = new BList();
            foreach (var (piece, mask) in d.Unfinished) list.Add(new BDict { ["piece"] = piece, ["bitmask"] = mask });
            root["unfinished"] = list;
        }
        if (d.FilePriorities is { Length: > 0 } fp)
        {
            var list = new BList();
            foreach (byte p in fp) list.Add((long)p);
            root["file_priority"] = list;
        }
        if (d.PiecePriorities is { Length: > 0 } pp && (omit & ResumeOmissions.Derivable) == 0) root["piece_priority"] = pp;

        var tiers = new BList();
        foreach (var tier in d.Trackers)
        {
            var urls = new BList();
            foreach (var u in tier) urls.Add(u);
            tiers.Add(urls);
        }
        root["trackers"] = tiers;
        root["url-list"] = StringList(d.UrlSeeds);
        root["httpseeds"] = StringList(d.HttpSeeds);
        if (d.MappedFiles.Count > 0) root["mapped_files"] = StringList(d.MappedFiles);
        if (d.QueuePosition >= 0) root["queue_position"] = d.QueuePosition;
        if ((omit & ResumeOmissions.Derivable) == 0) WritePeers(root, d);
        return BencodeWriter.Encode(root);
    }

    private static BList StringList(List<string> items)
    {
        var list = new BList();
        foreach (var s in items) list.Add(s);
        return list;
    }

    private static BList Trees(List<ResumeTree> trees)
    {
        var list = new BList();
        foreach (var t in trees)
        {
            var entry = new BDict { ["hashes"] = t.Hashes };
            if (t.Mask is not null) entry["mask"] = t.Mask;
            if (t.Verified is not null) entry["verified"] = t.Verified;
            list.Add(entry);
        }
        return list;
    }

    private static void WritePeers(BDict root, ResumeData d)
    {
        var v4 = new List<byte>();
        var v6 = new List<byte>();
        Span<byte> port = stackalloc byte[2];
        foreach (var ep in d.Peers)
        {
            var into = ep.AddressFamily == AddressFamily.InterNetwork ? v4 : v6;
            into.AddRange(ep.Address.GetAddressBytes());
            BinaryPrimitives.WriteUInt16BigEndian(port, (ushort)ep.Port);
            into.AddRange(port.ToArray());
        }
        if (v4.Count > 0) root["peers"] = v4.ToArray();
        if (v6.Count > 0) root["peers6"] = v6.ToArray();
    }
}
