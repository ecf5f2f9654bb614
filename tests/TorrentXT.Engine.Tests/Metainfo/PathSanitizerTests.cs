// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Engine.Metainfo;
using Xunit;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>Component sanitising as libtorrent does it on Linux, and the joined-path guard.</summary>
public class PathSanitizerTests
{
    [Theory]
    [InlineData("..", "")]
    [InlineData(".", "")]
    [InlineData("", "_")]
    [InlineData("...", "...")]
    [InlineData("a/../../b", "a....b")]
    [InlineData("..\\..\\c", "....c")]
    [InlineData("/etc", "etc")]
    [InlineData("C:", "C:")]
    [InlineData("CON", "CON")]
    [InlineData("tab\there", "tab_here")]
    [InlineData("evil\u202Etxt.exe", "eviltxt.exe")]
    [InlineData("/..", "")]
    public void Component_is_repaired_like_libtorrent(string input, string expected) =>
        Assert.Equal(expected, PathSanitizer.SanitizeComponent(input));

    [Fact]
    public void Each_invalid_utf8_sequence_becomes_one_underscore()
    {
        // 0xE9 announces a three-byte sequence, so it swallows ".b" as well.
        Assert.Equal("caf_in", PathSanitizer.SanitizeComponent([(byte)'c', (byte)'a', (byte)'f', 0xe9, (byte)'.', (byte)'b', (byte)'i', (byte)'n']));
        Assert.Equal("__.txt", PathSanitizer.SanitizeComponent([0xff, 0xfe, (byte)'.', (byte)'t', (byte)'x', (byte)'t']));
        // An overlong encoding of '/' must not turn into a separator.
        Assert.Equal("a_b", PathSanitizer.SanitizeComponent([(byte)'a', 0xc0, 0xaf, (byte)'b']));
        // A sequence cut short by the end of the component counts as one.
        Assert.Equal("ok_", PathSanitizer.SanitizeComponent([(byte)'o', (byte)'k', 0xe6, 0x97]));
        Assert.Equal("日本", PathSanitizer.SanitizeComponent("日本"));
    }

    [Fact]
    public void Long_components_are_cut_near_240_bytes_keeping_the_extension()
    {
        Assert.Equal(new string('x', 240), PathSanitizer.SanitizeComponent(new string('x', 300)));
        string withExt = new string('y', 300) + ".mkv";
        Assert.Equal(new string('y', 240) + ".mkv", PathSanitizer.SanitizeComponent(withExt));
    }

    [Fact]
    public void Components_append_with_separators_and_dropped_ones_leave_no_trace()
    {
        var sb = new StringBuilder("root");
        PathSanitizer.AppendComponent(sb, ".."u8);
        PathSanitizer.AppendComponent(sb, "a"u8);
        PathSanitizer.AppendComponent(sb, "."u8);
        PathSanitizer.AppendComponent(sb, ""u8);
        Assert.Equal("root/a/_", sb.ToString());
    }

    [Theory]
    [InlineData("a/b.txt", true)]
    [InlineData("a/../b", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("a//b", false)]
    [InlineData("a/./b", false)]
    [InlineData("a\\b", false)]
    [InlineData("a/b\u0001", false)]
    [InlineData("", false)]
    public void Relative_paths_are_checked_component_by_component(string path, bool safe) =>
        Assert.Equal(safe, PathSanitizer.IsSafeRelativePath(path));

    [Fact]
    public void Resolving_under_a_root_never_escapes_it()
    {
        string root = Path.Combine(Path.GetTempPath(), "btx-root");
        Assert.True(PathSanitizer.TryResolveUnder(root, "a/b.txt", out var full));
        Assert.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, full);
        Assert.False(PathSanitizer.TryResolveUnder(root, "../x", out _));
    }
}
