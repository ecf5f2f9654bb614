// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.Metainfo;

/// <summary>Re-assembles a .torrent around an existing info dictionary (its bytes are kept verbatim).</summary>
internal static class TorrentFileWriter
{
    public static byte[] Write(TorrentInfo ti, IReadOnlyList<AnnounceEntry> trackers, IReadOnlyList<string> urlSeeds)
    {
        var d = new BDict();
        if (trackers.Count > 0) d["announce"] = trackers[0].Url;
        if (trackers.Count > 1)
        {
            // Consecutive trackers of the same tier form one list, as create_torrent writes them.
            var tiers = new BList();
            var tier = new BList();
            int current = trackers[0].Tier;
            foreach (var t in trackers)
            {
                if (t.Tier != current)
                {
                    tiers.Add(tier);
                    tier = new BList();
                    current = t.Tier;
                }
                tier.Add(t.Url);
            }
            tiers.Add(tier);
            d["announce-list"] = tiers;
        }
        if (ti.Comment is { } comment) d["comment"] = comment;
        if (ti.CreatedBy is { } createdBy) d["created by"] = createdBy;
        if (ti.CreationDate > 0) d["creation date"] = ti.CreationDate;
        AddSeeds(d, "httpseeds", ti.HttpSeeds);
        d["info"] = new BRaw(ti.InfoBytes);
        if (ti.Nodes.Count > 0)
        {
            var nodes = new BList();
            foreach (var (host, port) in ti.Nodes) nodes.Add(new BList { host, (long)port });
            d["nodes"] = nodes;
        }
        if (ti.HasV2 && !ti.PieceLayersEncoded.IsEmpty) d["piece layers"] = new BRaw(ti.PieceLayersEncoded);
        AddSeeds(d, "url-list", urlSeeds);
        return BencodeWriter.Encode(d);
    }

    private static void AddSeeds(BDict d, string key, IReadOnlyList<string> seeds)
    {
        if (seeds.Count == 1) d[key] = seeds[0];
        else if (seeds.Count > 1)
        {
            var list = new BList();
            foreach (var s in seeds) list.Add(s);
            d[key] = list;
        }
    }
}
