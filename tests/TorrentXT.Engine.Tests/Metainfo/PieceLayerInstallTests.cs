// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Tests.Session;
using Xunit;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>Piece layers obtained from peers (BEP 52) are installed only when they prove the file's root.</summary>
public class PieceLayerInstallTests
{
    [Theory]
    [InlineData("v2_multi")]
    [InlineData("hybrid_multi")]
    public void Layers_from_peers_make_the_metadata_whole_again(string id)
    {
        var full = TestTorrents.Load(id);
        var bare = TorrentInfo.FromInfoDictionary(full.InfoBytes); // as a magnet gets it
        Assert.True(full.HasPieceLayers);
        Assert.False(bare.HasPieceLayers);
        Assert.True(bare.PieceLayersEncoded.IsEmpty);

        int installed = 0;
        for (int f = 0; f < full.Files.Count; f++)
        {
            var layer = full.PieceLayer(f).ToArray();
            bool needed = full.Files.Files[f] is { IsPad: false, PiecesRoot: not null } file && file.Size > full.Files.PieceLength;
            if (!needed)
            {
                Assert.False(bare.TrySetPieceLayer(f, layer), $"file {f} needs no layer");
                continue;
            }
            Assert.True(bare.PieceLayer(f).IsEmpty);
            var wrong = (byte[])layer.Clone();
            wrong[^1] ^= 1;
            Assert.False(bare.TrySetPieceLayer(f, wrong), "a layer that does not hash to the root is refused");
            Assert.False(bare.TrySetPieceLayer(f, layer[..^32]), "a layer of the wrong length is refused");
            Assert.True(bare.PieceLayer(f).IsEmpty);
            Assert.True(bare.TrySetPieceLayer(f, layer));
            Assert.False(bare.TrySetPieceLayer(f, layer), "installed once");
            Assert.True(bare.PieceLayer(f).Span.SequenceEqual(layer));
            installed++;
        }
        Assert.True(installed > 0);
        Assert.False(bare.TrySetPieceLayer(-1, []));
        Assert.False(bare.TrySetPieceLayer(full.Files.Count, []));
        Assert.True(bare.HasPieceLayers);
        Assert.True(full.PieceLayersEncoded.Span.SequenceEqual(bare.PieceLayersEncoded.Span));
        // The .torrent written now carries the layers and loads back with them.
        var reloaded = TorrentInfo.Load(bare.ToTorrentFile());
        Assert.True(reloaded.HasPieceLayers);
        Assert.True(full.PieceLayersEncoded.Span.SequenceEqual(reloaded.PieceLayersEncoded.Span));
    }

    [Fact]
    public void A_v1_torrent_takes_no_layer()
    {
        var v1 = TestTorrents.Load("v1_multi");
        Assert.False(v1.HasPieceLayers);
        Assert.False(v1.TrySetPieceLayer(0, new byte[32]));
    }
}
