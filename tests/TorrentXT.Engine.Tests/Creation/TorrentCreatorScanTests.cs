// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Creation;
using Xunit;

namespace TorrentXT.Engine.Tests.Creation;

/// <summary>Contract §8 step 1: the content scan, as libtorrent's add_files does it with default flags.</summary>
public sealed class TorrentCreatorScanTests
{
    [Fact]
    public void Hidden_files_and_directories_are_content()
    {
        using var dir = new ScratchDir();
        Write(dir["c/.hidden"], 10);
        Write(dir["c/.dir/x"], 10);

        Assert.Equal([".dir/x", ".hidden"], V1Paths(Create(dir["c"], CreateTorrentFlags.None)));
    }

    [Fact]
    public void A_symlink_to_a_file_is_stored_as_that_file_with_the_executable_attribute()
    {
        using var dir = new ScratchDir();
        Write(dir["target.bin"], 20000);
        Directory.CreateDirectory(dir["c"]);
        File.CreateSymbolicLink(dir["c/link"], "../target.bin");
        Write(dir["c/plain"], 20000); // same bytes as the target

        var files = Decode(Create(dir["c"], CreateTorrentFlags.V1Only))["info"]!["files"]!.Items;

        Assert.Equal("link", files[0]["path"]!.Items[0].Text);
        Assert.Equal(20000, files[0].GetInteger("length"));
        Assert.Equal("x", files[0]["attr"]!.Text);
        Assert.Null(files[1]["attr"]);
        // The link's bytes are its target's: in canonical v2 layout both files get the same pieces root.
        var tree = Decode(Create(dir["c"], CreateTorrentFlags.None))["info"]!["file tree"]!;
        Assert.Equal(tree["link"]![""]!["pieces root"]!.Bytes.ToArray(), tree["plain"]![""]!["pieces root"]!.Bytes.ToArray());
    }

    [Fact]
    public void Broken_links_are_skipped_and_links_to_directories_followed()
    {
        using var dir = new ScratchDir();
        Write(dir["c/sub/f"], 5);
        File.CreateSymbolicLink(dir["c/broken"], "/nonexistent/nowhere");
        File.CreateSymbolicLink(dir["c/dirlink"], "sub");

        Assert.Equal(["dirlink/f", "sub/f"], V1Paths(Create(dir["c"], CreateTorrentFlags.None)));
    }

    [Fact]
    public void The_owner_execute_bit_becomes_attr_x()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new ScratchDir();
        Write(dir["tool"], 100);
        File.SetUnixFileMode(dir["tool"], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var info = Decode(Create(dir["tool"], CreateTorrentFlags.None))["info"]!;

        Assert.Equal("x", info["attr"]!.Text);
        Assert.Equal("x", info["file tree"]!["tool"]![""]!["attr"]!.Text);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("//")]
    [InlineData("/\\")]
    public void Trailing_separators_are_ignored(string suffix)
    {
        using var dir = new ScratchDir();
        Write(dir["c/a"], 40000);
        Write(dir["c/b"], 5);

        Assert.Equal(Create(dir["c"], CreateTorrentFlags.None), Create(dir["c"] + suffix, CreateTorrentFlags.None));
    }

    [Fact]
    public void A_file_gives_a_single_file_torrent_named_after_it()
    {
        using var dir = new ScratchDir();
        Write(dir["one.bin"], 100);

        var info = Decode(Create(dir["one.bin"], CreateTorrentFlags.None))["info"]!;

        Assert.Equal("one.bin", info["name"]!.Text);
        Assert.Equal(100, info.GetInteger("length"));
        Assert.Null(info["files"]);
    }

    [Fact]
    public void A_directory_with_one_file_is_still_a_multi_file_torrent()
    {
        using var dir = new ScratchDir();
        Write(dir["c/only.bin"], 40000);

        var info = Decode(Create(dir["c"], CreateTorrentFlags.None))["info"]!;

        Assert.Equal("c", info["name"]!.Text);
        Assert.Single(info["files"]!.Items);
    }

    internal static byte[] Create(string path, CreateTorrentFlags flags, int pieceSize = 16384, string? trackers = null, long date = 0) =>
        TorrentCreator.Create(new CreateTorrentOptions(path, pieceSize, (uint)flags, trackers), date);

    internal static BValue Decode(byte[] torrent) => BencodeReader.Decode(torrent);

    internal static List<string> V1Paths(byte[] torrent) =>
        Decode(torrent)["info"]!["files"]!.Items
            .Where(f => f["attr"]?.Text != "p")
            .Select(f => string.Join('/', f["path"]!.Items.Select(c => c.Text)))
            .ToList();

    /// <summary>Writes <paramref name="size"/> bytes that depend only on the size.</summary>
    internal static void Write(string path, int size)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[size];
        for (int i = 0; i < size; i++) bytes[i] = (byte)(i * 131 + size);
        File.WriteAllBytes(path, bytes);
    }

    internal static string Utf8(ReadOnlyMemory<byte> b) => Encoding.UTF8.GetString(b.Span);
}
