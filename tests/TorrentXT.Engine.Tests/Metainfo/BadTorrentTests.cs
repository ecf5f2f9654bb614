// SPDX-License-Identifier: MIT
using System.Text.Json;
using TorrentXT.Engine.Metainfo;
using Xunit;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>
/// Malformed and hostile .torrent files are rejected with libtorrent's message, or repaired into
/// exactly the names and paths libtorrent produced, and never yield an unsafe path.
/// </summary>
public class BadTorrentTests
{
    public static IEnumerable<object[]> CaseFiles => Manifest.Ids(Manifest.BadCases, "file");
    public static IEnumerable<object[]> ProbeIds => Manifest.Ids(Manifest.ExtraProbes, "id");

    [Theory, MemberData(nameof(CaseFiles))]
    public void Case_behaves_as_libtorrent(string file)
    {
        var c = Manifest.BadCase(file);
        Check(Vectors.Bytes("bad-torrents", file), c.GetProperty("libtorrent"));
    }

    [Theory, MemberData(nameof(ProbeIds))]
    public void Extra_probe_behaves_as_libtorrent(string id)
    {
        var p = Manifest.Probe(id);
        Check(Manifest.HexBytes(p.Str("bytes_hex")!), p.GetProperty("libtorrent"));
    }

    private static void Check(byte[] bytes, JsonElement lt)
    {
        if (!lt.GetProperty("accepted").GetBoolean())
        {
            var ex = Assert.Throws<MetainfoException>(() => TorrentInfo.Load(bytes));
            Assert.Equal(lt.Str("error"), ex.Message);
            return;
        }
        var ti = TorrentInfo.Load(bytes);
        Assert.Equal(lt.Str("name"), ti.Name);
        Assert.Equal(lt.Str("info_hash_v1"), ti.InfoHashes.V1Hex);
        Assert.Equal(lt.Str("info_hash_v2"), ti.InfoHashes.V2Hex);
        Assert.Equal(lt.GetProperty("num_pieces").GetInt32(), ti.Files.NumPieces);
        Assert.Equal(lt.GetProperty("piece_length").GetInt32(), ti.Files.PieceLength);
        Assert.Equal(lt.GetProperty("total_size").GetInt64(), ti.Files.TotalSize);
        var files = lt.GetProperty("files").EnumerateArray().ToArray();
        Assert.Equal(files.Length, ti.Files.Count);
        for (int i = 0; i < files.Length; i++)
        {
            var f = ti.Files.Files[i];
            Assert.Equal(files[i].Str("path"), f.Path);
            Assert.Equal(files[i].GetProperty("size").GetInt64(), f.Size);
            Assert.Equal(files[i].GetProperty("pad").GetBoolean(), f.IsPad);
            Assert.Equal(files[i].Str("symlink_target"), f.SymlinkTarget);
            Assert.True(PathSanitizer.IsSafeRelativePath(f.Path), f.Path);
        }
    }

    [Fact]
    public void Nesting_limit_is_the_one_libtorrent_reports()
    {
        var limits = Manifest.DecodeLimits;
        Assert.Equal(limits.GetProperty("max_decode_depth").GetInt32(), MetainfoLimits.Default.MaxDecodeDepth);
        Assert.Equal(limits.GetProperty("max_decode_tokens").GetInt32(), MetainfoLimits.Default.MaxDecodeTokens);
        Assert.Equal(limits.GetProperty("max_buffer_size").GetInt32(), MetainfoLimits.Default.MaxBufferSize);
        Assert.Equal(limits.GetProperty("max_pieces").GetInt32(), MetainfoLimits.Default.MaxPieces);
        // "deepest_nesting_accepted" lists inside the info dict load; one more does not.
        int lists = limits.GetProperty("deepest_nesting_accepted").GetInt32();
        TorrentInfo.Load(Nested(lists));
        Assert.Equal("bencoded nesting depth exceeded", Assert.Throws<MetainfoException>(() => TorrentInfo.Load(Nested(lists + 1))).Message);
    }

    [Fact]
    public void A_buffer_over_the_size_limit_is_refused_before_decoding()
    {
        var big = new byte[MetainfoLimits.Default.MaxBufferSize + 1];
        Assert.Equal("metadata too large", Assert.Throws<MetainfoException>(() => TorrentInfo.Load(big)).Message);
    }

    [Fact]
    public void Token_limit_is_enforced()
    {
        // 'x' holds 3,000,001 empty strings: one token each, two bytes each, within the size limit.
        var sb = new System.Text.StringBuilder("d4:infod1:xl");
        sb.Insert(sb.Length, "0:", 3_000_001);
        sb.Append("eee");
        var ex = Assert.Throws<MetainfoException>(() => TorrentInfo.Load(System.Text.Encoding.ASCII.GetBytes(sb.ToString())));
        Assert.Equal("bencoded item count limit exceeded", ex.Message);
    }

    private static byte[] Nested(int lists)
    {
        var valid = Manifest.HexBytes(Manifest.Probe("trailing-garbage").Str("bytes_hex")!);
        // The probe's info dict starts at byte 7 ("d4:info" + "d"): put a nested list first inside it.
        string text = System.Text.Encoding.Latin1.GetString(valid);
        int infoStart = text.IndexOf("4:infod", StringComparison.Ordinal) + 7;
        string nested = "1:x" + new string('l', lists) + new string('e', lists);
        string all = text[..infoStart] + nested + text[infoStart..text.LastIndexOf("ee", StringComparison.Ordinal)] + "ee";
        return System.Text.Encoding.Latin1.GetBytes(all);
    }
}
