// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using System.Text.Json;
using TorrentXT.Engine.Metainfo;
using Xunit;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>Every .torrent libtorrent made loads to exactly the facts libtorrent recorded for it.</summary>
public class TorrentVectorTests
{
    public static IEnumerable<object[]> TorrentIds => Manifest.Ids(Manifest.Torrents, "id");

    private static (TorrentInfo Info, JsonElement M) Load(string id)
    {
        var m = Manifest.Torrent(id);
        var bytes = Vectors.Bytes("torrents", m.GetProperty("file").GetString()!);
        Assert.Equal(m.Str("sha256_of_torrent_file"), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        return (TorrentInfo.Load(bytes), m);
    }

    [Theory, MemberData(nameof(TorrentIds))]
    public void Identity_and_geometry_match_libtorrent(string id)
    {
        var (ti, m) = Load(id);
        Assert.Equal(m.Str("info_hash_v1"), ti.InfoHashes.V1Hex);
        Assert.Equal(m.Str("info_hash_v2"), ti.InfoHashes.V2Hex);
        Assert.Equal(m.Str("info_hash_v2_truncated"), ti.InfoHashes.TruncatedV2 is { } t ? Convert.ToHexStringLower(t) : null);
        Assert.Equal(m.Str("info_hash_v1") is not null, ti.HasV1);
        Assert.Equal(m.Str("info_hash_v2") is not null, ti.HasV2);
        Assert.Equal(m.Str("name"), ti.Name);
        Assert.Equal(m.GetProperty("piece_length").GetInt32(), ti.Files.PieceLength);
        Assert.Equal(m.GetProperty("num_pieces").GetInt32(), ti.Files.NumPieces);
        Assert.Equal(m.GetProperty("last_piece_size").GetInt32(), ti.Files.PieceSize(ti.Files.NumPieces - 1));
        Assert.Equal(m.GetProperty("total_size").GetInt64(), ti.Files.TotalSize);
        Assert.Equal(m.GetProperty("num_files").GetInt32(), ti.Files.Count);
        Assert.Equal(m.GetProperty("metadata_size").GetInt32(), ti.MetadataSize);
        Assert.Equal(m.GetProperty("private").GetBoolean(), ti.IsPrivate);
        Assert.Equal(m.Str("comment"), ti.Comment);
        Assert.Equal(m.Str("creator"), ti.CreatedBy);
    }

    [Theory, MemberData(nameof(TorrentIds))]
    public void Info_hashes_are_the_digests_of_the_exact_info_bytes(string id)
    {
        var (ti, _) = Load(id);
        if (ti.HasV1) Assert.Equal(SHA1.HashData(ti.InfoBytes.Span), ti.InfoHashes.V1);
        if (ti.HasV2) Assert.Equal(SHA256.HashData(ti.InfoBytes.Span), ti.InfoHashes.V2);
        Assert.Equal(ti.HasV1 ? ti.InfoHashes.V1 : ti.InfoHashes.TruncatedV2, ti.InfoHashes.Primary20);
    }

    [Theory, MemberData(nameof(TorrentIds))]
    public void File_list_matches_including_pad_files(string id)
    {
        var (ti, m) = Load(id);
        var expected = m.GetProperty("files").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, ti.Files.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            var e = expected[i];
            var f = ti.Files.Files[i];
            Assert.Equal(e.GetProperty("index").GetInt32(), f.Index);
            Assert.Equal(e.Str("path"), f.Path);
            Assert.Equal(e.GetProperty("size").GetInt64(), f.Size);
            Assert.Equal(e.GetProperty("offset").GetInt64(), f.Offset);
            Assert.Equal(e.GetProperty("pad").GetBoolean(), f.IsPad);
            var attrs = e.GetProperty("attributes").EnumerateArray().Select(a => a.GetString()).ToArray();
            Assert.Equal(attrs.Contains("pad"), f.Attributes.Contains('p'));
            Assert.Equal(attrs.Contains("executable"), f.IsExecutable);
            Assert.Equal(e.Str("pieces_root"), f.PiecesRoot is null ? null : Convert.ToHexStringLower(f.PiecesRoot));
        }
    }

    [Theory, MemberData(nameof(TorrentIds))]
    public void Piece_layers_match_and_are_complete(string id)
    {
        var (ti, m) = Load(id);
        Assert.Equal(ti.HasV2, ti.HasPieceLayers);
        var expected = m.GetProperty("files").EnumerateArray().ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            var f = ti.Files.Files[i];
            var want = string.Concat(expected[i].GetProperty("piece_layer").EnumerateArray().Select(h => h.GetString()));
            // The .torrent (and so the manifest) carries no layer for a file of at most one piece:
            // its single piece hash is the pieces root itself.
            if (want.Length == 0 && f.PiecesRoot is not null && f.Size <= ti.Files.PieceLength)
                want = Convert.ToHexStringLower(f.PiecesRoot);
            Assert.Equal(want, Convert.ToHexStringLower(ti.PieceLayer(i).Span));
        }
    }

    [Theory, MemberData(nameof(TorrentIds))]
    public void V1_piece_hashes_are_exposed_in_order(string id)
    {
        var (ti, m) = Load(id);
        var hashes = m.GetProperty("piece_hashes_v1").EnumerateArray().Select(h => h.GetString()).ToArray();
        if (!ti.HasV1)
        {
            Assert.Empty(hashes);
            return;
        }
        Assert.Equal(ti.Files.NumPieces, hashes.Length);
        for (int p = 0; p < hashes.Length; p++) Assert.Equal(hashes[p], Convert.ToHexStringLower(ti.V1PieceHash(p)));
    }

    [Theory, MemberData(nameof(TorrentIds))]
    public void Trackers_web_seeds_and_nodes_match(string id)
    {
        var (ti, m) = Load(id);
        var trackers = m.GetProperty("trackers").EnumerateArray()
            .Select(t => new AnnounceEntry(t.GetProperty("url").GetString()!, t.GetProperty("tier").GetInt32())).ToArray();
        Assert.Equal(trackers, ti.Trackers);
        Assert.Equal(m.GetProperty("web_seeds").EnumerateArray().Select(s => s.GetString()), ti.UrlSeeds);
        Assert.Equal(m.GetProperty("http_seeds").EnumerateArray().Select(s => s.GetString()), ti.HttpSeeds);
        var nodes = m.GetProperty("nodes").EnumerateArray().Select(n => (n[0].GetString()!, n[1].GetInt32())).ToArray();
        Assert.Equal(nodes, ti.Nodes);
    }

    [Theory, MemberData(nameof(TorrentIds))]
    public void Magnet_link_is_the_one_libtorrent_makes(string id)
    {
        var (ti, m) = Load(id);
        Assert.Equal(m.Str("magnet"), ti.ToMagnetUri());
        var back = MagnetUri.Parse(ti.ToMagnetUri());
        Assert.Equal(ti.InfoHashes, back.InfoHashes);
        Assert.Equal(ti.Name, back.DisplayName);
    }

    [Theory, MemberData(nameof(TorrentIds))]
    public void Pieces_roots_and_v1_hashes_agree_with_the_regenerated_payload(string id)
    {
        var (ti, m) = Load(id);
        var files = m.GetProperty("files").EnumerateArray().ToArray();
        var payload = new byte[ti.Files.TotalSize];
        foreach (var f in ti.Files.Files)
            if (!f.IsPad) Payload.Fill(files[f.Index].Str("payload_seed")!, payload.AsSpan((int)f.Offset, (int)f.Size));
        for (int p = 0; ti.HasV1 && p < ti.Files.NumPieces; p++)
        {
            var piece = payload.AsSpan((int)ti.Files.PieceOffset(p), ti.Files.PieceSize(p));
            Assert.True(SHA1.HashData(piece).AsSpan().SequenceEqual(ti.V1PieceHash(p)), $"piece {p}");
        }
        foreach (var f in ti.Files.Files.Where(f => f.PiecesRoot is not null))
            Assert.Equal(f.PiecesRoot, Payload.PiecesRoot(payload.AsSpan((int)f.Offset, (int)f.Size), ti.Files.PieceLength));
    }

    [Fact]
    public void Payload_generator_reproduces_the_known_answers()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Vectors.Path("torrents", "manifest.json")));
        foreach (var k in doc.RootElement.GetProperty("payload_generator").GetProperty("known_answers").EnumerateArray())
        {
            long offset = k.GetProperty("offset").GetInt64();
            int size = k.GetProperty("size").GetInt32();
            var buf = new byte[offset + size];
            Payload.Fill(k.Str("seed")!, buf);
            Assert.Equal(k.Str("bytes_hex"), Convert.ToHexStringLower(buf.AsSpan((int)offset, size)));
        }
    }

    [Fact]
    public void A_v2_only_single_file_gets_a_tail_pad_as_in_the_contract()
    {
        var (ti, _) = Load("v2_single");
        Assert.Equal(["v2_single.bin", "v2_single.bin/.pad/9152"], ti.Files.Files.Select(f => f.Path));
        Assert.Equal(49152, ti.Files.TotalSize);
        Assert.True(ti.Files.Files[1].IsPad);
    }

    [Fact]
    public void Hybrid_without_tail_padding_lists_the_pad_before_the_empty_file()
    {
        var (ti, _) = Load("hybrid_notail");
        Assert.Equal("hybrid_notail/.pad/14688", ti.Files.Files[3].Path);
        Assert.Equal("hybrid_notail/a/empty.dat", ti.Files.Files[4].Path);
        Assert.Equal(196613, ti.Files.TotalSize);
    }
}
