// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Engine.Creation;
using Xunit;
using static TorrentXT.Engine.Tests.Creation.TorrentCreatorScanTests;

namespace TorrentXT.Engine.Tests.Creation;

/// <summary>Contract §4.13, §6.6, §8 and Appendix A: the failure texts of torrent creation.</summary>
public sealed class TorrentCreatorErrorTests
{
    [Fact]
    public void An_empty_path_is_refused()
    {
        var e = Assert.Throws<CreateTorrentException>(() => Create("", CreateTorrentFlags.None));
        Assert.Equal("empty content path", e.Message);
        Assert.False(e.IsFirewallText);
    }

    [Fact]
    public void A_missing_path_or_a_directory_without_files_has_no_files()
    {
        using var dir = new ScratchDir();
        Directory.CreateDirectory(dir["empty/sub"]);

        foreach (var path in new[] { dir["empty"], dir["nope"] })
        {
            var e = Assert.Throws<CreateTorrentException>(() => Create(path, CreateTorrentFlags.None));
            Assert.Equal("no files at content path", e.Message);
            Assert.False(e.IsFirewallText);
        }
    }

    [Theory]
    [InlineData(CreateTorrentFlags.None, 0)]
    [InlineData(CreateTorrentFlags.V1Only | CreateTorrentFlags.V2Only, 12345)] // checked before piece size and flags
    public void Content_of_only_empty_files_fails_in_hashing(CreateTorrentFlags flags, int pieceSize)
    {
        using var dir = new ScratchDir();
        Write(dir["c/e1"], 0);
        Write(dir["c/e2"], 0);

        var e = Assert.Throws<CreateTorrentException>(() => Create(dir["c"], flags, pieceSize));
        Assert.Equal("hashing failed: invalid length of torrent", e.Message);
        Assert.False(e.IsFirewallText);
    }

    [Theory]
    [InlineData(CreateTorrentFlags.None, 49152)]
    [InlineData(CreateTorrentFlags.V1Only, 24576)]
    [InlineData(CreateTorrentFlags.V1Only, -5)]
    [InlineData(CreateTorrentFlags.V1Only | CreateTorrentFlags.V2Only, 12345)] // the piece size is looked at first
    public void A_bad_piece_size_is_the_firewall_text(CreateTorrentFlags flags, int pieceSize)
    {
        using var dir = new ScratchDir();
        Write(dir["f"], 100);

        var e = Assert.Throws<CreateTorrentException>(() => Create(dir["f"], flags, pieceSize));
        Assert.Equal("invalid piece size", e.Message);
        Assert.True(e.IsFirewallText);
    }

    [Theory]
    [InlineData(96u)]
    [InlineData(uint.MaxValue)] // -1 from C sets every bit
    public void V1_only_with_v2_only_is_the_firewall_text(uint flags)
    {
        using var dir = new ScratchDir();
        Write(dir["f"], 100);

        var e = Assert.Throws<CreateTorrentException>(() =>
            TorrentCreator.Create(new CreateTorrentOptions(dir["f"], 0, flags, null), 0));
        Assert.Equal("missing or invalid 'hash' entry", e.Message);
        Assert.True(e.IsFirewallText);
    }

    [Fact]
    public void A_file_that_vanished_after_the_scan_fails_hashing_with_the_system_text()
    {
        using var dir = new ScratchDir();
        var content = new ScannedContent("c", false,
            [new ScannedFile(dir["gone"], [Encoding.UTF8.GetBytes("gone")], 100, false, 0),
             new ScannedFile(dir["gone2"], [Encoding.UTF8.GetBytes("gone2")], 100, false, 0)]);

        var e = Assert.Throws<CreateTorrentException>(() =>
            TorrentCreator.Create(content, new CreateTorrentOptions("c", 0, 0, null), 0, parallelism: 2));
        Assert.Equal("hashing failed: No such file or directory", e.Message);
        Assert.False(e.IsFirewallText);
    }

    [Fact]
    public void A_file_that_shrank_after_the_scan_fails_hashing()
    {
        using var dir = new ScratchDir();
        Write(dir["short"], 10);
        var content = new ScannedContent("short", true, [new ScannedFile(dir["short"], [Encoding.UTF8.GetBytes("short")], 100, false, 0)]);

        var e = Assert.Throws<CreateTorrentException>(() =>
            TorrentCreator.Create(content, new CreateTorrentOptions("short", 0, 0, null), 0, parallelism: 1));
        Assert.Equal("hashing failed: End of file", e.Message);
    }
}
