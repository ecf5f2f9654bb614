// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Engine.Metainfo;
using Xunit;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>Trackers, web seeds and descriptive fields outside the info dictionary.</summary>
public class TorrentSourcesTests
{
    // A valid v1 info dict (the vectors' 20480-byte reference payload).
    private static readonly string Info = Encoding.Latin1.GetString(
        Manifest.HexBytes(Manifest.Probe("trailing-garbage").Str("bytes_hex")!))["d4:info".Length..^"egarbage".Length];
    private static readonly string MultiInfo = Encoding.Latin1.GetString(
        Manifest.HexBytes(Manifest.Probe("case-insensitive-duplicates").Str("bytes_hex")!))["d4:info".Length..^1];

    // A bencoded string (the test texts are Latin-1, one byte per char).
    private static string S(string s) => s.Length + ":" + s;

    private static TorrentInfo With(string keysBeforeInfo, string keysAfterInfo = "", string? info = null) =>
        TorrentInfo.Load(Encoding.Latin1.GetBytes("d" + keysBeforeInfo + "4:info" + (info ?? Info) + keysAfterInfo + "e"));

    [Fact]
    public void Announce_list_tiers_come_in_file_order_and_announce_is_only_a_fallback()
    {
        var ti = With(S("announce") + S("http://x/") + S("announce-list")
            + "l" + "l" + S("http://a/") + S("http://b/") + "e" + "l" + S("") + "i5e" + S("http://a/") + "e" + "l" + S("  http://c/") + "e" + "e");
        Assert.Equal([new AnnounceEntry("http://a/", 0), new AnnounceEntry("http://b/", 0), new AnnounceEntry("http://c/", 2)], ti.Trackers);
        Assert.Equal([new AnnounceEntry("http://x/", 0)], With(S("announce") + S("http://x/") + S("announce-list") + "le").Trackers);
    }

    [Fact]
    public void Web_seeds_are_escaped_like_libtorrent_and_deduplicated()
    {
        var ti = With("", S("url-list") + "l" + S("http://w/a b.bin") + S("http://w/a b.bin") + S("") + "i1e" + S("http://w/ok%20") + "e");
        Assert.Equal(["http://w/a%20b.bin", "http://w/ok%20"], ti.UrlSeeds);
        // Once a path needs escaping, libtorrent re-escapes all of it, '%' included.
        Assert.Equal(["http://w/a%20b%2520c"], With("", S("url-list") + S("http://w/a b%20c")).UrlSeeds);
    }

    [Fact]
    public void Web_seeds_of_a_multi_file_torrent_name_a_directory()
    {
        var ti = With("", S("url-list") + S("http://w"), MultiInfo);
        Assert.Equal(["http://w/"], ti.UrlSeeds);
    }

    [Fact]
    public void Comment_prefers_the_utf8_key_and_repairs_bad_encoding()
    {
        var ti = With(S("comment") + S("old") + S("comment.utf-8") + S("caf\xe9") + S("created by") + S("me")
            + S("creation date") + "i1700000000e");
        Assert.Equal("caf_", ti.Comment);
        Assert.Equal("me", ti.CreatedBy);
        Assert.Equal(1700000000, ti.CreationDate);
        Assert.Null(With("").Comment);
    }

    [Fact]
    public void A_torrent_with_only_a_magnet_link_has_no_metadata_and_is_refused()
    {
        var ex = Assert.Throws<MetainfoException>(() => TorrentInfo.Load(
            Encoding.ASCII.GetBytes("d10:magnet-uri60:magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88ae")));
        Assert.Equal("missing or invalid 'info' section in torrent file", ex.Message);
    }
}
