// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Metainfo;
using Xunit;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>BEP 52 rules beyond the vectors: piece layer checks, hybrid consistency, canonical encoding.</summary>
public class V2EdgeTests
{
    private static BValue Root(string file) => BencodeReader.Decode(Vectors.Bytes("torrents", file));

    /// <summary>Rebuilds a torrent from parts, optionally replacing the piece layers.</summary>
    private static byte[] WithLayers(string file, Func<BValue, BNode?> layers)
    {
        var root = Root(file);
        var d = new BDict { ["info"] = new BRaw(root.GetDictionary("info")!.Raw) };
        if (layers(root.GetDictionary("piece layers")!) is { } l) d["piece layers"] = l;
        return BencodeWriter.Encode(d);
    }

    [Fact]
    public void A_piece_layer_that_does_not_hash_to_its_root_is_refused()
    {
        var bytes = WithLayers("v2_multi.torrent", pl =>
        {
            var d = new BDict();
            foreach (var (k, v) in pl.Entries)
            {
                var tampered = v.Bytes.ToArray();
                tampered[0] ^= 1;
                d.Add(k.ToArray(), tampered);
            }
            return d;
        });
        Assert.Equal("a piece layer is invalid", Assert.Throws<MetainfoException>(() => TorrentInfo.Load(bytes)).Message);
    }

    [Fact]
    public void A_piece_layer_of_the_wrong_length_or_for_an_unknown_root_is_refused()
    {
        var shortLayer = WithLayers("v2_multi.torrent", pl =>
        {
            var d = new BDict();
            foreach (var (k, v) in pl.Entries) d.Add(k.ToArray(), v.Bytes[..^32].ToArray());
            return d;
        });
        Assert.Equal("a piece layer is invalid", Assert.Throws<MetainfoException>(() => TorrentInfo.Load(shortLayer)).Message);

        var stranger = WithLayers("v2_multi.torrent", pl =>
        {
            var d = new BDict();
            foreach (var (k, v) in pl.Entries) d.Add(k.ToArray(), v.Bytes.ToArray());
            d.Add(new byte[32], new byte[64]);
            return d;
        });
        Assert.Equal("a piece layer is invalid", Assert.Throws<MetainfoException>(() => TorrentInfo.Load(stranger)).Message);
    }

    [Fact]
    public void Missing_piece_layers_are_accepted_like_a_magnet_but_reported()
    {
        var bytes = WithLayers("v2_multi.torrent", _ => null);
        var ti = TorrentInfo.Load(bytes);
        Assert.False(ti.HasPieceLayers);
        Assert.True(ti.PieceLayersEncoded.IsEmpty);
        Assert.True(ti.PieceLayer(1).IsEmpty);               // one.bin: 4 pieces, layer not supplied
        Assert.Equal(32, ti.PieceLayer(4).Length);           // readme.md fits one piece: its root
        Assert.True(ti.PieceLayer(2).IsEmpty);               // pad
        Assert.True(ti.PieceLayer(0).IsEmpty);               // empty file
    }

    [Fact]
    public void Piece_layers_are_reencoded_exactly()
    {
        var ti = TorrentInfo.Load(Vectors.Bytes("torrents", "v2_multi.torrent"));
        Assert.Equal(Root("v2_multi.torrent").GetDictionary("piece layers")!.Raw.ToArray(), ti.PieceLayersEncoded.ToArray());
    }

    [Fact]
    public void A_hybrid_whose_v1_list_disagrees_with_its_tree_is_refused()
    {
        var root = Root("hybrid_multi.torrent");
        string info = System.Text.Encoding.Latin1.GetString(root.GetDictionary("info")!.Raw.Span);
        // Same length, different size: "c.bin" becomes 6 bytes in the v1 list only.
        string changed = info.Replace("d6:lengthi5e4:pathl5:c.binee", "d6:lengthi6e4:pathl5:c.binee");
        Assert.NotEqual(info, changed);
        var ex = Assert.Throws<MetainfoException>(() => TorrentInfo.FromInfoDictionary(System.Text.Encoding.Latin1.GetBytes(changed)));
        Assert.Equal("the v1 and v2 file metadata does not match", ex.Message);
    }

    [Fact]
    public void A_v2_info_dict_with_non_canonical_bencoding_is_refused()
    {
        var info = System.Text.Encoding.Latin1.GetString(Root("v2_single.torrent").GetDictionary("info")!.Raw.Span);
        string leadingZero = info.Replace("12:piece lengthi16384e", "12:piece lengthi016384e");
        Assert.Equal("invalid bencoding",
            Assert.Throws<MetainfoException>(() => TorrentInfo.FromInfoDictionary(System.Text.Encoding.Latin1.GetBytes(leadingZero))).Message);
    }

    [Fact]
    public void V2_keys_without_meta_version_and_meta_version_without_tree_are_refused()
    {
        var info = System.Text.Encoding.Latin1.GetString(Root("hybrid_multi.torrent").GetDictionary("info")!.Raw.Span);
        string noVersion = info.Replace("12:meta versioni2e", "");
        Assert.Equal("the torrent contains v2 keys but does not specify meta version 2",
            Assert.Throws<MetainfoException>(() => TorrentInfo.FromInfoDictionary(System.Text.Encoding.Latin1.GetBytes(noVersion))).Message);
        var v2 = System.Text.Encoding.Latin1.GetString(Root("v2_single.torrent").GetDictionary("info")!.Raw.Span);
        string noTree = "d12:meta versioni2e4:name1:x12:piece lengthi16384ee";
        Assert.StartsWith("d9:file tree", v2);
        Assert.Equal("the v2 torrent file has no file tree",
            Assert.Throws<MetainfoException>(() => TorrentInfo.FromInfoDictionary(System.Text.Encoding.Latin1.GetBytes(noTree))).Message);
    }

    [Fact]
    public void A_v2_file_marked_as_pad_is_refused()
    {
        string info = "d9:file treed1:fd0:d4:attr1:p6:lengthi5e11:pieces root32:"
            + new string('\u0001', 32) + "eee12:meta versioni2e4:name1:f12:piece lengthi16384ee";
        Assert.Equal("a file in the v2 metadata has the pad attribute set",
            Assert.Throws<MetainfoException>(() => TorrentInfo.FromInfoDictionary(System.Text.Encoding.Latin1.GetBytes(info))).Message);
    }
}
