// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Hashing;
using TorrentXT.Engine.PeerWire;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>BEP 52 hash request / hashes / hash reject: validation against a file's tree, proofs both ways.</summary>
public class HashMessageTests
{
    private const int PieceLength = 32 * 1024;            // 2 blocks per piece: piece layer 1
    private static readonly byte[] Root = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    // 40 pieces, the last one short: 80 blocks, padded to 128 leaves, so the tree is 7 layers high.
    private static readonly byte[] Data = MakeData(40 * PieceLength - 100);

    private static byte[] MakeData(int size)
    {
        var d = new byte[size];
        new Random(52).NextBytes(d);
        return d;
    }

    [Fact]
    public void Tree_height_follows_the_padded_block_count()
    {
        Assert.Equal(0, HashRequest.TreeHeight(1));
        Assert.Equal(0, HashRequest.TreeHeight(16384));
        Assert.Equal(1, HashRequest.TreeHeight(16385));
        Assert.Equal(7, HashRequest.TreeHeight(Data.Length));
    }

    [Theory]
    [InlineData(1, 0, 64, 5, true)]     // the whole piece layer, no uncles needed
    [InlineData(1, 32, 32, 5, true)]    // the second half with one uncle
    [InlineData(0, 126, 2, 6, true)]    // two leaves at the very end (padding) with every uncle
    [InlineData(1, 0, 64, 6, false)]    // proof layers reach the root's layer
    [InlineData(7, 0, 2, 0, false)]     // base at the root
    [InlineData(1, 0, 128, 0, false)]   // more nodes than the layer has
    [InlineData(1, 64, 2, 0, false)]    // past the end of the layer
    [InlineData(1, 3, 2, 0, false)]     // index not a multiple of count
    [InlineData(1, 0, 3, 0, false)]     // count not a power of two
    [InlineData(1, 0, 1, 0, false)]     // count below two
    [InlineData(0, 0, 16384, 0, false)] // above libtorrent's 8192 cap
    [InlineData(-1, 0, 2, 0, false)]
    [InlineData(1, -2, 2, 0, false)]
    [InlineData(1, 0, 2, -1, false)]
    public void Requests_are_checked_against_the_file_tree(int layer, int index, int count, int proof, bool valid) =>
        Assert.Equal(valid, new HashRequest(Root, layer, index, count, proof).IsValidFor(Data.Length));

    [Fact]
    public void A_one_block_file_has_no_valid_request() =>
        Assert.False(new HashRequest(Root, 0, 0, 2, 0).IsValidFor(16384));

    [Theory]
    [InlineData(512, 12, 4)]
    [InlineData(512, 8, 0)]
    [InlineData(512, 9, 1)]
    [InlineData(2, 0, 0)]
    [InlineData(2, 1, 1)]
    [InlineData(64, 5, 0)]
    [InlineData(32, 5, 1)]
    public void Uncle_count_is_what_libtorrent_sends(int count, int proof, int uncles) =>
        Assert.Equal(uncles, new HashRequest(Root, 1, 0, count, proof).UncleCount);

    [Fact]
    public void Request_reject_and_hashes_round_trip_through_the_reader()
    {
        var req = new HashRequest(Root, 1, 32, 32, 5);
        var buf = new byte[HashRequest.FrameSize];
        Assert.Equal(buf.Length, req.WriteRequest(buf));
        Assert.True(MessageReader.TryRead(buf, out var m).HasMessage);
        Assert.Equal(MessageKind.HashRequest, m.Kind);
        Assert.Equal(req, HashRequest.From(m));
        req.WriteReject(buf);
        Assert.True(MessageReader.TryRead(buf, out m).HasMessage);
        Assert.Equal(MessageKind.HashReject, m.Kind);
        Assert.Equal(req, HashRequest.From(m));

        var hashes = new byte[req.ReplyHashBytes];
        new Random(1).NextBytes(hashes);
        var frame = new byte[MessageWriter.SizeOfHashes(hashes.Length / 32)];
        req.WriteHashes(frame, hashes);
        Assert.True(MessageReader.TryRead(frame, out m).HasMessage);
        Assert.Equal(MessageKind.Hashes, m.Kind);
        Assert.Equal(req, HashRequest.From(m));
        req.SplitReply(m.Payload, out var baseHashes, out var uncles);
        Assert.Equal(32 * 32, baseHashes.Length);
        Assert.Equal(32, uncles.Length);
        Assert.NotEqual(req, new HashRequest(Root, 1, 32, 32, 4));
    }

    [Fact]
    public void A_hashes_reply_of_the_wrong_size_is_a_wire_error()
    {
        var req = new HashRequest(Root, 1, 0, 32, 5);
        var e = Assert.Throws<PeerWireException>(() => req.SplitReply(new byte[32 * 32], out _, out _)); // the uncle is missing
        Assert.Equal(PeerWireError.InvalidMessageField, e.Error);
        Assert.Throws<PeerWireException>(() => req.SplitReply(new byte[34 * 32], out _, out _));
        Assert.Throws<ArgumentException>(() => HashRequest.From(default));
    }

    [Theory]
    [InlineData(1, 0, 64)]
    [InlineData(1, 0, 32)]
    [InlineData(1, 32, 8)]
    [InlineData(1, 38, 2)]
    [InlineData(3, 0, 16)]
    [InlineData(3, 4, 4)]
    [InlineData(5, 0, 4)]
    [InlineData(6, 0, 2)]
    public void A_served_reply_proves_the_pieces_root_and_a_tampered_one_does_not(int layer, int index, int count)
    {
        var pieceLayer = Merkle.PieceLayer(Data, PieceLength);
        var root = Merkle.FileRoot(Data);
        int height = HashRequest.TreeHeight(Data.Length);
        var tree = new LayerTree(pieceLayer, 1, height);
        Assert.True(tree.Root.SequenceEqual(root));

        var req = new HashRequest(root, layer, index, count, height - layer - 1);
        Assert.True(req.IsValidFor(Data.Length));
        var reply = tree.Reply(layer, index, count, req.ProofLayers);
        Assert.NotNull(reply);
        req.SplitReply(reply, out var baseHashes, out var uncles);
        Assert.True(MerkleProof.Verify(baseHashes, layer, index, uncles, height, root));
        if (layer == 1)
            Assert.True(baseHashes[..(Math.Min(count, 40 - index) * 32)].SequenceEqual(pieceLayer.AsSpan(index * 32, Math.Min(count, 40 - index) * 32)));

        for (int at = 0; at < reply.Length; at += 32)
        {
            var bad = (byte[])reply.Clone();
            bad[at + 7] ^= 1;
            req.SplitReply(bad, out baseHashes, out uncles);
            Assert.False(MerkleProof.Verify(baseHashes, layer, index, uncles, height, root), $"hash {at / 32} tampered");
        }
        req.SplitReply(reply, out baseHashes, out uncles);
        if (index + count < 128 >> layer)
            Assert.False(MerkleProof.Verify(baseHashes, layer, index + count, uncles, height, root), "the same hashes do not prove another position");
        Assert.False(MerkleProof.Verify(baseHashes, layer, index, uncles, height + 1, root));
    }

    [Fact]
    public void Layers_below_the_piece_layer_and_bad_geometry_are_not_served()
    {
        var tree = new LayerTree(Merkle.PieceLayer(Data, PieceLength), 1, 7);
        Assert.Null(tree.Reply(0, 0, 2, 6));   // block hashes: not kept
        Assert.Null(tree.Reply(1, 0, 64, 6));  // proof up to the root's own layer
        Assert.Null(tree.Reply(1, 64, 2, 0));
        Assert.Null(tree.Reply(1, 1, 2, 0));
        Assert.Null(tree.Reply(7, 0, 2, 0));
        // A partial proof is served as asked: libtorrent may know the upper nodes already.
        var partial = tree.Reply(1, 0, 8, 4);
        Assert.NotNull(partial);
        Assert.Equal((8 + 2) * 32, partial.Length);
    }
}
