// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Creation;
using Xunit;
using static TorrentXT.Engine.Tests.Creation.TorrentCreatorScanTests;

namespace TorrentXT.Engine.Tests.Creation;

/// <summary>Contract §8 step 6: what the generated dictionary holds for each kind of torrent.</summary>
public sealed class TorrentCreatorOutputTests
{
    [Fact]
    public void One_tracker_is_only_announce()
    {
        using var dir = new ScratchDir();
        Write(dir["f"], 100);

        var top = Decode(Create(dir["f"], CreateTorrentFlags.None, trackers: "udp://t1/ann\n"));

        Assert.Equal("udp://t1/ann", top["announce"]!.Text);
        Assert.Null(top["announce-list"]);
    }

    [Fact]
    public void Two_or_more_trackers_add_an_announce_list_with_one_tier_each()
    {
        using var dir = new ScratchDir();
        Write(dir["f"], 100);

        var top = Decode(Create(dir["f"], CreateTorrentFlags.None, trackers: "udp://a/x\nudp://a/x\nhttp://c/x"));

        Assert.Equal("udp://a/x", top["announce"]!.Text);
        var tiers = top["announce-list"]!.Items.Select(t => t.Items.Select(u => u.Text).ToArray()).ToArray();
        Assert.Equal([["udp://a/x"], ["http://c/x"]], tiers);
    }

    [Fact]
    public void The_creation_date_is_written_and_no_creator()
    {
        using var dir = new ScratchDir();
        Write(dir["f"], 100);

        var top = Decode(Create(dir["f"], CreateTorrentFlags.None, date: 1_700_000_123));

        Assert.Equal(1_700_000_123, top.GetInteger("creation date"));
        Assert.Null(top["created by"]);
        Assert.Equal(["creation date", "info", "piece layers"], top.Entries.Select(e => Utf8(e.Key)).ToArray());
    }

    [Fact]
    public void Hybrid_has_both_kinds_of_data_and_piece_layers_even_when_empty()
    {
        using var dir = new ScratchDir();
        Write(dir["f"], 100);

        var top = Decode(Create(dir["f"], CreateTorrentFlags.None));

        Assert.Equal(["file tree", "length", "meta version", "name", "piece length", "pieces"], top["info"]!.Entries.Select(e => Utf8(e.Key)).ToArray());
        Assert.Empty(top["piece layers"]!.Entries);
    }

    [Fact]
    public void V1_only_has_no_v2_data_and_v2_only_no_v1_data()
    {
        using var dir = new ScratchDir();
        Write(dir["c/a"], 40000);
        Write(dir["c/b"], 5);

        var v1 = Decode(Create(dir["c"], CreateTorrentFlags.V1Only));
        var v2 = Decode(Create(dir["c"], CreateTorrentFlags.V2Only));

        Assert.Equal(["info"], v1.Entries.Select(e => Utf8(e.Key)).ToArray());
        Assert.Equal(["files", "name", "piece length", "pieces"], v1["info"]!.Entries.Select(e => Utf8(e.Key)).ToArray());
        Assert.Equal(["info", "piece layers"], v2.Entries.Select(e => Utf8(e.Key)).ToArray());
        Assert.Equal(["file tree", "meta version", "name", "piece length"], v2["info"]!.Entries.Select(e => Utf8(e.Key)).ToArray());
        // 'a' spans three pieces, so it has a layer of three nodes; 'b' fits in one and has none.
        var layer = Assert.Single(v2["piece layers"]!.Entries);
        Assert.Equal(3 * 32, layer.Value.Bytes.Length);
    }

    [Fact]
    public void Modification_time_adds_mtime_to_files_but_not_to_pads()
    {
        using var dir = new ScratchDir();
        Write(dir["c/a"], 40000);
        Write(dir["c/b"], 5);
        File.SetLastWriteTimeUtc(dir["c/a"], DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).UtcDateTime);

        var info = Decode(Create(dir["c"], CreateTorrentFlags.ModificationTime))["info"]!;

        var files = info["files"]!.Items;
        Assert.Equal(1_700_000_000, files[0].GetInteger("mtime"));
        Assert.Null(files[1].GetInteger("mtime")); // the pad after 'a'
        Assert.Equal(1_700_000_000, info["file tree"]!["a"]![""]!.GetInteger("mtime"));
        Assert.Null(Decode(Create(dir["c"], CreateTorrentFlags.None))["info"]!["files"]!.Items[0].GetInteger("mtime"));
    }
}
