// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Net;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Resume;

/// <summary>
/// Parses a resume blob written by libtorrent 2.0 (<c>write_resume_data_buf</c>) or by us. Like
/// libtorrent's <c>read_resume_data</c> it is lenient about keys of the wrong type (they are
/// ignored) and strict about the envelope: the format tag and at least one info-hash.
/// </summary>
public static class ResumeDataReader
{
    /// <summary>Throws <see cref="ResumeDataException"/> with the text libtorrent would give.</summary>
    public static ResumeData Parse(ReadOnlyMemory<byte> blob)
    {
        BValue root;
        try { root = BencodeReader.Decode(blob); }
        catch (BencodeException e) { throw new ResumeDataException(e.Message, e); }
        return Parse(root);
    }

    public static ResumeData Parse(BValue root)
    {
        if (!root.IsDictionary || root.GetString("file-format")?.Text != ResumeKeys.FileFormat)
            throw new ResumeDataException("invalid file format tag");
        var r = new ResumeData
        {
            InfoHashV1 = NonZero(root.GetString("info-hash"), 20),
            InfoHashV2 = NonZero(root.GetString("info-hash2"), 32),
        };
        if (r.InfoHashV1 is null && r.InfoHashV2 is null) throw new ResumeDataException("missing info-hash");
        r.Name = root.GetString("name")?.Text ?? "";
        r.SavePath = root.GetString("save_path")?.Text ?? "";
        if (root.GetDictionary("info") is { } info) r.InfoDict = info.Raw;

        if (root.GetString("pieces") is { Bytes.Length: > 0 } pieces) r.Pieces = pieces.Bytes.ToArray();
        r.AllPieces = root.GetInteger("btx-all-pieces") == 1;
        if (root.GetList("unfinished") is { } unfinished)
            foreach (var u in unfinished.Items)
                if (u.GetInteger("piece") is { } piece && piece is >= 0 and <= int.MaxValue && u.GetString("bitmask") is { } mask)
                    r.Unfinished.Add(((int)piece, mask.Bytes.ToArray()));

        r.FilePriorities = PriorityList(root.GetList("file_priority"));
        if (root.GetString("piece_priority") is { Bytes.Length: > 0 } pp) r.PiecePriorities = Clamp(pp.Bytes.ToArray());

        if (root.GetList("trackers") is { } tiers)
            foreach (var tier in tiers.Items)
            {
                if (!tier.IsList) continue;
                var urls = tier.Items.Where(u => u.IsString && u.Bytes.Length > 0).Select(u => u.Text).ToList();
                if (urls.Count > 0) r.Trackers.Add(urls);
            }
        Strings(root.GetList("url-list"), r.UrlSeeds);
        Strings(root.GetList("httpseeds"), r.HttpSeeds);
        Strings(root.GetList("mapped_files"), r.MappedFiles);

        foreach (var (key, flag) in ResumeKeys.FlagKeys)
        {
            if (root.GetInteger(key) is not { } v) continue;
            r.FlagsPresent |= flag;
            if (v != 0) r.Flags |= flag;
        }

        r.DownloadLimit = Int(root, "download_rate_limit", -1);
        r.UploadLimit = Int(root, "upload_rate_limit", -1);
        r.MaxConnections = Int(root, "max_connections", ResumeData.Unlimited);
        r.MaxUploads = Int(root, "max_uploads", ResumeData.Unlimited);
        r.NumComplete = Int(root, "num_complete", ResumeData.Unlimited);
        r.NumIncomplete = Int(root, "num_incomplete", ResumeData.Unlimited);
        r.NumDownloaded = Int(root, "num_downloaded", ResumeData.Unlimited);
        r.QueuePosition = Int(root, "queue_position", -1);
        r.AddedTime = root.GetInteger("added_time") ?? 0;
        r.CompletedTime = root.GetInteger("completed_time") ?? 0;
        r.LastSeenComplete = root.GetInteger("last_seen_complete") ?? 0;
        r.LastDownload = root.GetInteger("last_download") ?? 0;
        r.LastUpload = root.GetInteger("last_upload") ?? 0;
        r.ActiveTime = root.GetInteger("active_time") ?? 0;
        r.FinishedTime = root.GetInteger("finished_time") ?? 0;
        r.SeedingTime = root.GetInteger("seeding_time") ?? 0;
        r.TotalDownloaded = Math.Max(0, root.GetInteger("total_downloaded") ?? 0);
        r.TotalUploaded = Math.Max(0, root.GetInteger("total_uploaded") ?? 0);

        Peers(root.GetString("peers"), 4, r.Peers);
        Peers(root.GetString("peers6"), 16, r.Peers);

        if (root.GetList("trees") is { } trees)
            foreach (var t in trees.Items)
            {
                if (!t.IsDictionary) break; // as libtorrent: the list ends at the first bad entry
                var hashes = t.GetString("hashes")?.Bytes.ToArray() ?? Array.Empty<byte>();
                if (hashes.Length % 32 != 0) break;
                r.Trees.Add(new ResumeTree(hashes, t.GetString("mask")?.Text, t.GetString("verified")?.Text));
            }
        return r;
    }

    private static byte[]? NonZero(BValue? v, int length)
    {
        if (v is null || v.Bytes.Length != length) return null;
        return v.Bytes.Span.ContainsAnyExcept((byte)0) ? v.Bytes.ToArray() : null;
    }

    private static int Int(BValue root, string key, int fallback)
    {
        long? v = root.GetInteger(key);
        return v is null ? fallback : (int)Math.Clamp(v.Value, int.MinValue, int.MaxValue);
    }

    private static byte[]? PriorityList(BValue? list)
    {
        if (list is null || list.Items.Count == 0) return null;
        var result = new byte[list.Items.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = list.Items[i].IsInteger ? (byte)Math.Clamp(list.Items[i].Integer, 0, 7) : (byte)Torrent.DefaultPriority;
        return result;
    }

    private static byte[] Clamp(byte[] priorities)
    {
        for (int i = 0; i < priorities.Length; i++) priorities[i] = Math.Min(priorities[i], (byte)7);
        return priorities;
    }

    private static void Strings(BValue? list, List<string> into)
    {
        if (list is null) return;
        foreach (var v in list.Items)
            if (v.IsString) into.Add(v.Text);
    }

    private static void Peers(BValue? compact, int addressLength, List<IPEndPoint> into)
    {
        if (compact is null) return;
        var span = compact.Bytes.Span;
        int entry = addressLength + 2;
        for (int at = 0; at + entry <= span.Length; at += entry)
        {
            var address = new IPAddress(span.Slice(at, addressLength));
            int port = BinaryPrimitives.ReadUInt16BigEndian(span.Slice(at + addressLength, 2));
            if (port != 0) into.Add(new IPEndPoint(address, port));
        }
    }
}
