// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.Creation;

/// <summary>
/// Writes the .torrent the way libtorrent 2.0.8's create_torrent::generate lays it out: sorted keys,
/// "announce" plus "announce-list" only for two or more trackers, an optional "creation date", no
/// "created by"; v1 data ("pieces", "length" or "files" with pad entries), v2 data ("file tree",
/// "meta version" and a top-level "piece layers", present even when empty) or both.
/// </summary>
internal static class MetainfoWriter
{
    public static byte[] Write(ScannedContent content, List<LayoutFile> layout, ContentHashes hashes, int pieceLength,
        bool v1, bool v2, bool withMTime, List<string> trackers, long creationDate)
    {
        var top = new BDict();
        if (trackers.Count > 0) top["announce"] = trackers[0];
        if (trackers.Count > 1)
        {
            var tiers = new BList();
            foreach (var url in trackers) tiers.Add(new BList { url });
            top["announce-list"] = tiers;
        }
        if (creationDate > 0) top["creation date"] = creationDate;

        var info = new BDict
        {
            { "name", content.Name },
            { "piece length", pieceLength },
        };
        if (v1)
        {
            info["pieces"] = new BBytes(hashes.V1Pieces);
            if (content.SingleFile) AddSingleFileKeys(info, layout[0], withMTime);
            else info["files"] = V1FileList(layout, withMTime);
        }
        if (v2)
        {
            info["meta version"] = 2;
            info["file tree"] = FileTree(layout, hashes, withMTime);
            top["piece layers"] = PieceLayers(layout, hashes);
        }
        top["info"] = info;
        return BencodeWriter.Encode(top);
    }

    private static void AddSingleFileKeys(BDict info, LayoutFile file, bool withMTime)
    {
        info["length"] = file.Size;
        if (file.Executable) info["attr"] = "x";
        if (withMTime) info["mtime"] = file.MTime;
    }

    private static BList V1FileList(List<LayoutFile> layout, bool withMTime)
    {
        var files = new BList();
        foreach (var f in layout)
        {
            var entry = new BDict { { "length", f.Size } };
            if (f.IsPad) entry["attr"] = "p";
            else if (f.Executable) entry["attr"] = "x";
            if (withMTime && !f.IsPad) entry["mtime"] = f.MTime;
            var path = new BList();
            foreach (var component in f.Path) path.Add(new BBytes(component));
            entry["path"] = path;
            files.Add(entry);
        }
        return files;
    }

    private static BDict FileTree(List<LayoutFile> layout, ContentHashes hashes, bool withMTime)
    {
        var root = new BDict();
        // Directories by their path so far; BDict cannot look children up, so remember them here.
        var directories = new Dictionary<string, BDict>(StringComparer.Ordinal);
        for (int i = 0; i < layout.Count; i++)
        {
            var f = layout[i];
            if (f.IsPad) continue;
            var dir = root;
            var key = new StringBuilder();
            for (int c = 0; c < f.Path.Length - 1; c++)
            {
                key.Append(Convert.ToHexString(f.Path[c])).Append('/');
                if (!directories.TryGetValue(key.ToString(), out var child))
                {
                    child = new BDict();
                    dir.Add(f.Path[c], child);
                    directories.Add(key.ToString(), child);
                }
                dir = child;
            }
            var entry = new BDict { { "length", f.Size } };
            if (f.Executable) entry["attr"] = "x";
            if (withMTime) entry["mtime"] = f.MTime;
            if (hashes.Roots[i] is { } pieceRoot) entry["pieces root"] = pieceRoot;
            dir.Add(f.Path[^1], new BDict { { "", entry } });
        }
        return root;
    }

    private static BDict PieceLayers(List<LayoutFile> layout, ContentHashes hashes)
    {
        // Keyed by pieces root, so identical files share one entry.
        var layers = new BDict();
        for (int i = 0; i < layout.Count; i++)
            if (hashes.Layers[i] is { } layer) layers.Add(hashes.Roots[i]!, new BBytes(layer));
        return layers;
    }
}
