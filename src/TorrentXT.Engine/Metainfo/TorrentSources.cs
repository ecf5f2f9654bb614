// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// The top-level, non-info parts of a .torrent: trackers, web seeds, DHT nodes and the descriptive
/// fields, read as libtorrent's parse_torrent_file reads them.
/// </summary>
internal sealed class TorrentSources
{
    public List<AnnounceEntry> Trackers { get; } = new();
    public List<string> UrlSeeds { get; } = new();
    public List<string> HttpSeeds { get; } = new();
    public List<(string Host, int Port)> Nodes { get; } = new();
    public string? Comment { get; private set; }
    public string? CreatedBy { get; private set; }
    public long CreationDate { get; private set; }

    public static TorrentSources Read(BValue torrent, bool multiFileWithSeveralFiles)
    {
        var s = new TorrentSources();
        s.ReadTrackers(torrent);
        s.ReadNodes(torrent);
        long cd = torrent.GetInteger("creation date") ?? -1;
        if (cd >= 0) s.CreationDate = cd;
        ReadSeeds(torrent.Get("url-list"), s.UrlSeeds, multiFileWithSeveralFiles);
        ReadSeeds(torrent.Get("httpseeds"), s.HttpSeeds, trailingSlash: false);
        s.Comment = ReadText(torrent, "comment");
        s.CreatedBy = ReadText(torrent, "created by");
        return s;
    }

    private void ReadTrackers(BValue torrent)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (torrent.GetList("announce-list") is { } tiers)
        {
            for (int j = 0; j < tiers.Items.Count; j++)
            {
                var tier = tiers.Items[j];
                if (!tier.IsList) continue;
                foreach (var item in tier.Items)
                {
                    string url = LeftTrim(item.IsString ? item.Bytes.Span : default);
                    if (url.Length == 0) continue;
                    // libtorrent keeps the tier in a byte. A URL listed twice is kept once, in its
                    // first tier, as adding the torrent to a session would (add_tracker ignores repeats).
                    if (seen.Add(url)) Trackers.Add(new AnnounceEntry(url, j & 0xff));
                }
            }
        }
        if (Trackers.Count == 0 && torrent.GetString("announce") is { } announce)
        {
            string url = LeftTrim(announce.Bytes.Span);
            if (url.Length > 0) Trackers.Add(new AnnounceEntry(url, 0));
        }
    }

    private void ReadNodes(BValue torrent)
    {
        if (torrent.GetList("nodes") is not { } nodes) return;
        foreach (var n in nodes.Items)
        {
            if (!n.IsList || n.Items.Count < 2 || !n.Items[0].IsString || !n.Items[1].IsInteger) continue;
            Nodes.Add((n.Items[0].Text, unchecked((int)n.Items[1].Integer)));
        }
    }

    private static void ReadSeeds(BValue? node, List<string> into, bool trailingSlash)
    {
        if (node is null) return;
        if (node.IsString)
        {
            if (!node.Bytes.IsEmpty) into.Add(Finish(node.Bytes.Span, trailingSlash));
            return;
        }
        if (!node.IsList) return;
        var unique = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in node.Items)
        {
            if (!u.IsString || u.Bytes.IsEmpty) continue;
            string url = Finish(u.Bytes.Span, trailingSlash);
            if (unique.Add(url)) into.Add(url);
        }
    }

    // A web seed of a multi-file torrent names a directory, so libtorrent makes sure it ends in '/'.
    private static string Finish(ReadOnlySpan<byte> raw, bool trailingSlash)
    {
        string url = UrlEscaping.MaybeUrlEncode(raw);
        return trailingSlash && (url.Length == 0 || url[^1] != '/') ? url + "/" : url;
    }

    // 'x.utf-8' wins when present and non-empty; invalid UTF-8 is repaired; empty means absent.
    private static string? ReadText(BValue torrent, string key)
    {
        var node = torrent.GetString(key + ".utf-8");
        if (node is null || node.Bytes.IsEmpty) node = torrent.GetString(key);
        if (node is null || node.Bytes.IsEmpty) return null;
        return Utf8Codepoint.Repair(node.Bytes.Span);
    }

    private static string LeftTrim(ReadOnlySpan<byte> s)
    {
        int i = 0;
        while (i < s.Length && UrlEscaping.IsSpace(s[i])) i++;
        return Encoding.UTF8.GetString(s[i..]);
    }
}
