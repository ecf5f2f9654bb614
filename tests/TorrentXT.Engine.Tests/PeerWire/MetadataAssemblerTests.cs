// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.PeerWire;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>Fetching an info dictionary in 16 KiB pieces and checking it against the magnet's info-hash(es).</summary>
public class MetadataAssemblerTests
{
    /// <summary>A real v1 info dictionary of several metadata pieces: 2500 piece hashes (50 KB of 'pieces').</summary>
    private static readonly Lazy<byte[]> LargeInfo = new(() =>
    {
        var pieces = new byte[2500 * 20];
        new Random(3).NextBytes(pieces);
        var info = new BDict { { "length", 2500L * 16384 }, { "name", "large.bin" }, { "piece length", 16384L }, { "pieces", pieces } };
        return BencodeWriter.Encode(info);
    });

    private static InfoHashes V1Of(byte[] info) => new(SHA1.HashData(info), null);

    private static byte[] PieceOf(ReadOnlySpan<byte> info, int piece) =>
        info.Slice(piece * 16384, UtMetadata.PieceSize(info.Length, piece)).ToArray();

    /// <summary>Sends every piece through the wire encoding, as a peer would, in the given order.</summary>
    private static MetadataBlockResult Feed(MetadataAssembler a, byte[] info, IEnumerable<int> order)
    {
        var last = MetadataBlockResult.Accepted;
        foreach (int p in order)
        {
            var payload = UtMetadata.EncodeData(p, info.Length, PieceOf(info, p));
            last = a.Add(UtMetadata.Decode(payload));
        }
        return last;
    }

    [Theory]
    [InlineData("v1_single.torrent")]
    [InlineData("v2_single.torrent")]
    [InlineData("hybrid_multi.torrent")]
    [InlineData("hybrid_order.torrent")]
    public void Real_vector_info_dictionaries_assemble_and_verify(string file)
    {
        var ti = TorrentInfo.Load(Vectors.Bytes("torrents", file));
        var info = ti.InfoBytes.ToArray();
        var a = new MetadataAssembler(ti.InfoHashes, info.Length);
        Assert.Equal(UtMetadata.PieceCount(info.Length), a.PieceCount);
        Assert.Equal(MetadataBlockResult.Complete, Feed(a, info, Enumerable.Range(0, a.PieceCount).Reverse()));
        Assert.True(a.IsComplete);
        Assert.Equal(info, a.InfoBytes.ToArray());
        Assert.Equal(ti.InfoHashes, TorrentInfo.FromInfoDictionary(a.InfoBytes).InfoHashes);
    }

    [Fact]
    public void Multi_piece_metadata_arrives_out_of_order_with_duplicates()
    {
        var info = LargeInfo.Value;
        var a = new MetadataAssembler(V1Of(info), info.Length);
        Assert.Equal(4, a.PieceCount);
        Assert.Equal(0, a.NextMissing());
        Assert.Equal(MetadataBlockResult.Accepted, Feed(a, info, [2, 0]));
        Assert.Equal(MetadataBlockResult.Duplicate, Feed(a, info, [2]));
        Assert.Equal(2, a.Remaining);
        Assert.Equal(1, a.NextMissing());
        Assert.Equal(3, a.NextMissing(2));
        Assert.True(a.IsMissing(3) && !a.IsMissing(0) && !a.IsMissing(99));
        Assert.True(a.InfoBytes.IsEmpty);
        Assert.Equal(MetadataBlockResult.Complete, Feed(a, info, [3, 1]));
        Assert.Equal(-1, a.NextMissing());
        Assert.Equal(info, a.InfoBytes.ToArray());
        Assert.Equal(MetadataBlockResult.Duplicate, Feed(a, info, [0]));
        var ti = TorrentInfo.FromInfoDictionary(a.InfoBytes);
        Assert.Equal(2500, ti.Files.NumPieces);
    }

    [Fact]
    public void A_corrupt_block_fails_the_hash_and_resets_everything()
    {
        var info = LargeInfo.Value;
        var a = new MetadataAssembler(V1Of(info), info.Length);
        Feed(a, info, [0, 1, 3]);
        var bad = PieceOf(info, 2);
        bad[100] ^= 0x01;
        Assert.Equal(MetadataBlockResult.HashMismatch, a.Add(2, bad));
        Assert.False(a.IsComplete);
        Assert.Equal(1, a.HashFailures);
        Assert.Equal(4, a.Remaining);
        Assert.Equal(0, a.NextMissing());
        Assert.Equal(MetadataBlockResult.Complete, Feed(a, info, [3, 2, 1, 0]));
        Assert.Equal(info, a.InfoBytes.ToArray());
    }

    [Fact]
    public void Hybrid_needs_both_hashes_to_match()
    {
        var ti = TorrentInfo.Load(Vectors.Bytes("torrents", "hybrid_multi.torrent"));
        var info = ti.InfoBytes.ToArray();
        var wrongV2 = new InfoHashes(ti.InfoHashes.V1, new byte[32]);
        var a = new MetadataAssembler(wrongV2, info.Length);
        Assert.Equal(MetadataBlockResult.HashMismatch, Feed(a, info, [0]));
        var v1Only = new MetadataAssembler(new InfoHashes(ti.InfoHashes.V1, null), info.Length);
        Assert.Equal(MetadataBlockResult.Complete, Feed(v1Only, info, [0]));
        var v2Only = new MetadataAssembler(new InfoHashes(null, ti.InfoHashes.V2), info.Length);
        Assert.Equal(MetadataBlockResult.Complete, Feed(v2Only, info, [0]));
    }

    [Fact]
    public void Sizes_and_pieces_are_checked()
    {
        var info = LargeInfo.Value;
        var hashes = V1Of(info);
        Assert.Equal(PeerWireError.InvalidMetadataSize, Assert.Throws<PeerWireException>(() => new MetadataAssembler(hashes, 0)).Error);
        Assert.Equal(PeerWireError.InvalidMetadataSize, Assert.Throws<PeerWireException>(() => new MetadataAssembler(hashes, -5)).Error);
        Assert.Equal(PeerWireError.InvalidMetadataSize, Assert.Throws<PeerWireException>(() => new MetadataAssembler(hashes, info.Length, maxMetadataSize: 40000)).Error);
        Assert.Throws<PeerWireException>(() => new MetadataAssembler(hashes, UtMetadata.DefaultMaxMetadataSize + 1L));
        _ = new MetadataAssembler(hashes, UtMetadata.DefaultMaxMetadataSize);

        var a = new MetadataAssembler(hashes, info.Length);
        Assert.Throws<PeerWireException>(() => a.Add(4, new byte[16384]));
        Assert.Throws<PeerWireException>(() => a.Add(-1, new byte[16384]));
        Assert.Throws<PeerWireException>(() => a.Add(0, new byte[16383])); // a full piece must be 16 KiB
        Assert.Throws<PeerWireException>(() => a.Add(3, new byte[16384])); // the last piece is shorter
        var otherSize = UtMetadata.EncodeData(0, info.Length + 1, PieceOf(info, 0));
        Assert.Equal(PeerWireError.InvalidMetadataMessage,
            Assert.Throws<PeerWireException>(() => a.Add(UtMetadata.Decode(otherSize))).Error);
        Assert.Throws<ArgumentException>(() => new MetadataAssembler(new InfoHashes(null, null), 10));
    }

    [Fact]
    public void Reset_after_completion_does_not_touch_the_bytes_handed_out()
    {
        var ti = TorrentInfo.Load(Vectors.Bytes("torrents", "v1_single.torrent"));
        var info = ti.InfoBytes.ToArray();
        var a = new MetadataAssembler(ti.InfoHashes, info.Length);
        Feed(a, info, [0]);
        var handedOut = a.InfoBytes;
        a.Reset();
        Assert.Equal(info, handedOut.ToArray());
        Assert.True(a.InfoBytes.IsEmpty);
        Assert.Equal(1, a.Remaining);
    }
}
