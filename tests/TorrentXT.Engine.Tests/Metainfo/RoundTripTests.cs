// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Metainfo;
using Xunit;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>Metadata survives the paths it travels: info dict alone (from peers), and back into a .torrent.</summary>
public class RoundTripTests
{
    public static IEnumerable<object[]> TorrentFiles =>
        Manifest.Torrents.EnumerateArray().Select(t => new object[] { t.Str("file")! });

    [Theory, MemberData(nameof(TorrentFiles))]
    public void Info_dictionary_alone_gives_the_same_torrent(string file)
    {
        var bytes = Vectors.Bytes("torrents", file);
        var full = TorrentInfo.Load(bytes);
        var bare = TorrentInfo.FromInfoDictionary(full.InfoBytes.ToArray());
        Assert.Equal(full.InfoHashes, bare.InfoHashes);
        Assert.Equal(full.Name, bare.Name);
        Assert.Equal(full.Files.Files, bare.Files.Files);
        Assert.Empty(bare.Trackers);
        // Without 'piece layers' a v2 torrent lacks the hashes of its multi-piece files.
        bool needsLayers = full.HasV2 && full.Files.Files.Any(f => f.PiecesRoot is not null && f.Size > full.Files.PieceLength);
        Assert.Equal(full.HasPieceLayers && !needsLayers, bare.HasPieceLayers);

        var layers = BencodeReader.Decode(bytes).GetDictionary("piece layers");
        var withLayers = TorrentInfo.FromInfoDictionary(full.InfoBytes.ToArray(), layers);
        Assert.Equal(full.HasPieceLayers, withLayers.HasPieceLayers);
        for (int i = 0; i < full.Files.Count; i++)
            Assert.True(full.PieceLayer(i).Span.SequenceEqual(withLayers.PieceLayer(i).Span));
    }

    [Theory, MemberData(nameof(TorrentFiles))]
    public void Rebuilt_torrent_file_is_byte_identical_to_libtorrents(string file)
    {
        // The vectors have no creation date, so create_torrent's layout is reproduced exactly.
        var bytes = Vectors.Bytes("torrents", file);
        var ti = TorrentInfo.Load(bytes);
        var rebuilt = ti.ToTorrentFile();
        Assert.Equal(Convert.ToHexStringLower(bytes), Convert.ToHexStringLower(rebuilt));
        var again = TorrentInfo.Load(rebuilt);
        Assert.Equal(ti.InfoHashes, again.InfoHashes);
        Assert.Equal(ti.Trackers, again.Trackers);
        Assert.Equal(ti.UrlSeeds, again.UrlSeeds);
        Assert.Equal(ti.PieceLayersEncoded.ToArray(), again.PieceLayersEncoded.ToArray());
    }

    [Fact]
    public void Metadata_from_a_magnet_becomes_a_torrent_with_the_magnets_trackers()
    {
        var ti = TorrentInfo.Load(Vectors.Bytes("torrents", "hybrid_multi.torrent"));
        var bare = TorrentInfo.FromInfoDictionary(ti.InfoBytes.ToArray());
        var trackers = new[] { new AnnounceEntry("http://a.example/announce", 0), new AnnounceEntry("udp://b.example:1", 1) };
        var rebuilt = TorrentInfo.Load(bare.ToTorrentFile(trackers, ["http://seed.example/"]));
        Assert.Equal(ti.InfoHashes, rebuilt.InfoHashes);
        Assert.Equal(trackers, rebuilt.Trackers);
        Assert.Equal(["http://seed.example/"], rebuilt.UrlSeeds);
    }

    [Fact]
    public void Resume_info_dictionary_identifies_the_same_torrent()
    {
        var resume = BencodeReader.Decode(Vectors.Bytes("resume", "seeding_with_info.resume"));
        var info = resume.GetDictionary("info")!;
        var ti = TorrentInfo.FromInfoDictionary(info.Raw);
        var original = TorrentInfo.Load(Vectors.Bytes("torrents", "hybrid_multi.torrent"));
        Assert.Equal(original.InfoHashes, ti.InfoHashes);
        Assert.Equal(original.Files.Files, ti.Files.Files);
    }

    [Fact]
    public void An_info_dictionary_that_is_not_a_dictionary_is_refused()
    {
        var ex = Assert.Throws<MetainfoException>(() => TorrentInfo.FromInfoDictionary("li1ee"u8.ToArray()));
        Assert.Equal("'info' entry is not a dictionary", ex.Message);
    }
}
