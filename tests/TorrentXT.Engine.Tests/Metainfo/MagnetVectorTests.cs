// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;
using Xunit;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>All 32 magnet URIs parse (or fail) exactly as lt.parse_magnet_uri did.</summary>
public class MagnetVectorTests
{
    public static IEnumerable<object[]> MagnetIds => Manifest.Ids(Manifest.Magnets, "id");

    [Theory, MemberData(nameof(MagnetIds))]
    public void Magnet_behaves_as_libtorrent(string id)
    {
        var m = Manifest.Magnet(id);
        string uri = m.Str("uri")!;
        if (!m.GetProperty("accepted").GetBoolean())
        {
            Assert.Equal(m.Str("error"), Assert.Throws<MetainfoException>(() => MagnetUri.Parse(uri)).Message);
            return;
        }
        var mg = MagnetUri.Parse(uri);
        Assert.Equal(m.Str("info_hash_v1"), mg.InfoHashes.V1Hex);
        Assert.Equal(m.Str("info_hash_v2"), mg.InfoHashes.V2Hex);
        Assert.Equal(m.Str("name"), mg.DisplayName ?? "");
        var trackers = m.GetProperty("trackers").EnumerateArray().ToArray();
        Assert.Equal(trackers.Select(t => t.Str("url")), mg.Trackers);
        // Tracker i of a magnet sits in tier i.
        Assert.Equal(trackers.Select(t => t.GetProperty("tier").GetInt32()), Enumerable.Range(0, trackers.Length));
        Assert.Equal(m.GetProperty("web_seeds").EnumerateArray().Select(s => s.GetString()), mg.WebSeeds);
        Assert.Equal(m.GetProperty("peers").EnumerateArray().Select(s => s.GetString()), mg.Peers);
        Assert.Equal(m.GetProperty("dht_nodes").EnumerateArray().Select(s => s.GetString()), mg.DhtNodes);
        Assert.Equal(m.GetProperty("file_priorities").EnumerateArray().Select(p => p.GetInt32()), mg.FilePriorities);
        var selectOnly = m.GetProperty("select_only");
        Assert.Equal(selectOnly.ValueKind == System.Text.Json.JsonValueKind.Null ? [] : selectOnly.EnumerateArray().Select(i => i.GetInt32()),
            mg.SelectOnly);
        bool dontDownload = m.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "default_dont_download");
        Assert.Equal(dontDownload, mg.DefaultDontDownload);
        Assert.Equal(m.Str("make_magnet_uri"), mg.ToString());
    }

    [Fact]
    public void A_percent_escaped_exact_topic_is_decoded_and_a_bad_escape_rejected()
    {
        var ok = MagnetUri.Parse("magnet:?xt=urn%3Abtih%3Ac12fe1c06bba254a9dc9f519b335aa7c1367a88a");
        Assert.Equal("c12fe1c06bba254a9dc9f519b335aa7c1367a88a", ok.InfoHashes.V1Hex);
        var ex = Assert.Throws<MetainfoException>(() => MagnetUri.Parse("magnet:?xt=urn:btih:c12f%G"));
        Assert.Equal("invalid escaped string", ex.Message);
    }

    [Fact]
    public void A_hybrid_magnet_answers_to_both_20_byte_ids()
    {
        var mg = MagnetUri.Parse(Manifest.Magnet("hybrid").Str("uri")!);
        Assert.True(mg.InfoHashes.Matches20(mg.InfoHashes.V1));
        Assert.True(mg.InfoHashes.Matches20(mg.InfoHashes.TruncatedV2));
        Assert.Equal(mg.InfoHashes.V1, mg.InfoHashes.Primary20);
    }

    [Fact]
    public void Base32_accepts_libtorrents_one_for_i_and_rejects_foreign_characters()
    {
        string b32 = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK";
        var withOne = MagnetUri.Parse("magnet:?xt=urn:btih:" + b32.Replace('I', '1'));
        Assert.Equal("c12fe1c06bba254a9dc9f519b335aa7c1367a88a", withOne.InfoHashes.V1Hex);
        Assert.Equal("invalid info-hash", Assert.Throws<MetainfoException>(() => MagnetUri.Parse("magnet:?xt=urn:btih:" + b32[..31] + "0")).Message);
    }

    [Fact]
    public void Huge_so_indices_are_ignored_rather_than_allocated()
    {
        var mg = MagnetUri.Parse("magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&so=10001,0-999999999,3");
        Assert.Equal([3], mg.SelectOnly);
        Assert.Equal(4, mg.FilePriorities.Count);
    }
}
