// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Text;
using TorrentXT.Engine.Metainfo;
using Xunit;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>Inputs built to make a naive parser quadratic or huge must load (or fail) quickly.</summary>
public class HostileInputTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    /// <summary>A v1 multi-file torrent whose single piece hash is not checked against content.</summary>
    private static byte[] V1(IEnumerable<string> fileEntries, long total, int pieceLength = 1 << 20)
    {
        var sb = new StringBuilder("d4:infod5:filesl");
        foreach (var e in fileEntries) sb.Append(e);
        long pieces = (total + pieceLength - 1) / pieceLength;
        sb.Append("e4:name4:root12:piece lengthi").Append(pieceLength).Append("e6:pieces").Append(pieces * 20).Append(':')
          .Append(new string('x', (int)pieces * 20)).Append("ee");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    private static T Timed<T>(Func<T> f)
    {
        var sw = Stopwatch.StartNew();
        var r = f();
        Assert.True(sw.Elapsed < Budget, $"took {sw.Elapsed}");
        return r;
    }

    [Fact]
    public void Fifty_thousand_files_with_one_name_are_renamed_in_linear_time()
    {
        const int n = 50_000;
        var ti = Timed(() => TorrentInfo.Load(V1(Enumerable.Repeat("d6:lengthi1e4:pathl5:a.txtee", n), n)));
        Assert.Equal("root/a.txt", ti.Files.Files[0].Path);
        Assert.Equal("root/a.1.txt", ti.Files.Files[1].Path);
        Assert.Equal("root/a.49999.txt", ti.Files.Files[n - 1].Path);
        Assert.Equal(n, ti.Files.Files.Select(f => f.Path.ToLowerInvariant()).Distinct().Count());
    }

    [Fact]
    public void A_path_of_half_a_million_components_loads_without_quadratic_work()
    {
        var path = new StringBuilder("d6:lengthi1e4:pathl");
        path.Insert(path.Length, "1:a", 500_000);
        path.Append("1:fee");
        var ti = Timed(() => TorrentInfo.Load(V1([path.ToString(), "d6:lengthi1e4:pathl1:aee"], 2)));
        Assert.Equal("root/a.1", ti.Files.Files[1].Path); // collides with the deep tree's top directory
    }

    [Fact]
    public void A_symlink_with_an_enormous_target_is_pointed_at_itself_quickly()
    {
        var link = new StringBuilder("d4:attr1:l6:lengthi0e4:pathl4:linke12:symlink pathl");
        link.Insert(link.Length, "1:a", 500_000);
        link.Append("ee");
        var ti = Timed(() => TorrentInfo.Load(V1(["d6:lengthi5e4:pathl1:fee", link.ToString()], 5)));
        Assert.Equal("root/link", ti.Files.Files[1].SymlinkTarget);
    }

    [Fact]
    public void A_symlink_pointing_at_a_file_in_the_torrent_is_kept()
    {
        var ti = TorrentInfo.Load(V1(["d6:lengthi5e4:pathl3:dir1:fee", "d4:attr1:l6:lengthi0e4:pathl4:linke12:symlink pathl3:dir1:fee"], 5));
        Assert.Equal("root/dir/f", ti.Files.Files[1].SymlinkTarget);
        Assert.Equal(0, ti.Files.Files[1].Size);
        Assert.True(ti.Files.Files[1].IsSymlink);
    }

    [Fact]
    public void A_cycle_of_directory_symlinks_is_broken()
    {
        // x -> y/z and y -> x/w: resolving either loops, so both end up pointing at themselves.
        var ti = TorrentInfo.Load(V1([
            "d6:lengthi5e4:pathl1:fee",
            "d4:attr1:l6:lengthi0e4:pathl1:xe12:symlink pathl1:y1:zee",
            "d4:attr1:l6:lengthi0e4:pathl1:ye12:symlink pathl1:x1:wee"], 5));
        Assert.Equal("root/x", ti.Files.Files[1].SymlinkTarget);
        Assert.Equal("root/y", ti.Files.Files[2].SymlinkTarget);
    }
}
