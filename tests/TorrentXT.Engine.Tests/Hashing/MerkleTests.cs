// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using System.Text.Json;
using TorrentXT.Engine.Hashing;
using TorrentXT.Engine.Tests.Creation;
using Xunit;

namespace TorrentXT.Engine.Tests.Hashing;

/// <summary>BEP 52 merkle trees: 16 KiB leaves, zero-hash padding to a power of two, piece layers.</summary>
public sealed class MerkleTests
{
    private const int Block = 16 * 1024;

    public static IEnumerable<object[]> V2Files()
    {
        foreach (var t in CreationVectors.Torrents)
        {
            if (t.GetProperty("info_hash_v2").ValueKind == JsonValueKind.Null) continue;
            foreach (var f in t.GetProperty("files").EnumerateArray())
                if (!f.GetProperty("pad").GetBoolean() && f.GetProperty("size").GetInt64() > 0)
                    yield return [t.GetProperty("id").GetString()!, f.GetProperty("path").GetString()!];
        }
    }

    [Fact]
    public void Pad_hashes_are_roots_of_all_zero_subtrees()
    {
        Assert.Equal(new byte[32], Merkle.PadHash(0).ToArray());
        Assert.Equal(SHA256.HashData(new byte[64]), Merkle.PadHash(1).ToArray());
        var two = SHA256.HashData([.. Merkle.PadHash(1), .. Merkle.PadHash(1)]);
        Assert.Equal(two, Merkle.PadHash(2).ToArray());
    }

    [Theory]
    [MemberData(nameof(V2Files))]
    public void Roots_and_piece_layers_match_libtorrents(string id, string path)
    {
        var (data, pieceLength, root, layer) = VectorFile(id, path);

        Assert.Equal(root, Convert.ToHexStringLower(Merkle.FileRoot(data)));
        Assert.Equal(layer, Convert.ToHexStringLower(Merkle.PieceLayer(data, pieceLength)));
        Assert.Equal(layer, Convert.ToHexStringLower(Merkle.PieceLayerFromLeaves(Leaves(data), pieceLength)));
    }

    [Theory]
    [MemberData(nameof(V2Files))]
    public void The_root_follows_from_the_piece_layer_and_each_piece_verifies(string id, string path)
    {
        var (data, pieceLength, root, _) = VectorFile(id, path);
        var layer = Merkle.PieceLayer(data, pieceLength);
        if (data.Length <= pieceLength) layer = Merkle.FileRoot(data); // a one-piece file is its own layer

        Assert.Equal(root, Convert.ToHexStringLower(Merkle.RootFromPieceLayer(layer, pieceLength, data.Length)));
        for (int p = 0; p * (long)pieceLength < data.Length; p++)
        {
            var piece = data.AsSpan(p * pieceLength, Math.Min(pieceLength, data.Length - p * pieceLength)).ToArray();
            var expected = layer.AsSpan(p * 32, 32);
            Assert.True(Merkle.VerifyPiece(piece, pieceLength, data.Length, expected));
            piece[^1] ^= 1;
            Assert.False(Merkle.VerifyPiece(piece, pieceLength, data.Length, expected));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Block - 1)]
    [InlineData(Block)]
    [InlineData(Block + 1)]
    [InlineData(3 * Block)]
    [InlineData(5 * Block + 7)]
    [InlineData(64 * Block + 1)]
    public void File_roots_match_a_plain_recursive_definition(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        var leaves = new List<byte[]>();
        for (int i = 0; i < size; i += Block) leaves.Add(SHA256.HashData(data.AsSpan(i, Math.Min(Block, size - i))));
        int padded = 1;
        while (padded < leaves.Count) padded *= 2;

        Assert.Equal(NaiveRoot(leaves, 0, padded), Merkle.FileRoot(data));
    }

    [Fact]
    public void Roots_from_leaves_match_the_plain_definition_for_every_count_and_padding()
    {
        var leaves = Enumerable.Range(0, 40).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToList();
        for (int n = 0; n <= leaves.Count; n++)
        {
            for (int padded = Math.Max(1, (int)Merkle.PowerOfTwoAtLeast(n)); padded <= 128; padded *= 2)
            {
                var flat = leaves.Take(n).SelectMany(l => l).ToArray();
                Assert.Equal(NaiveRoot(leaves.Take(n).ToList(), 0, padded), Merkle.RootFromLeaves(flat, padded));
            }
        }
    }

    [Fact]
    public void Piece_roots_pad_to_the_whole_piece_only_in_files_larger_than_one_piece()
    {
        var data = RandomNumberGenerator.GetBytes(Block + 5);
        var leaves = new List<byte[]> { SHA256.HashData(data.AsSpan(0, Block)), SHA256.HashData(data.AsSpan(Block)) };
        Span<byte> node = stackalloc byte[32];

        Merkle.PieceRoot(data, 4 * Block, data.Length, node); // the whole file fits one piece: padded to 2 leaves
        Assert.Equal(NaiveRoot(leaves, 0, 2), node.ToArray());

        Merkle.PieceRoot(data, 4 * Block, 10L * 4 * Block, node); // the last piece of a big file: padded to 4
        Assert.Equal(NaiveRoot(leaves, 0, 4), node.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Block - 1)]
    [InlineData(3 * Block)]
    public void Piece_lengths_must_be_powers_of_two_of_at_least_one_block(int pieceLength) =>
        Assert.Throws<ArgumentException>(() => Merkle.LeavesPerPiece(pieceLength));

    private static byte[] Leaves(byte[] data)
    {
        var leaves = new byte[Merkle.LeafCount(data.Length) * 32];
        for (int i = 0; i * Block < data.Length; i++)
            Merkle.BlockHash(data.AsSpan(i * Block, Math.Min(Block, data.Length - i * Block)), leaves.AsSpan(i * 32, 32));
        return leaves;
    }

    private static byte[] NaiveRoot(List<byte[]> leaves, int first, int count)
    {
        if (count == 1) return first < leaves.Count ? leaves[first] : new byte[32];
        int half = count / 2;
        return SHA256.HashData([.. NaiveRoot(leaves, first, half), .. NaiveRoot(leaves, first + half, half)]);
    }

    private static (byte[] Data, int PieceLength, string Root, string Layer) VectorFile(string id, string path)
    {
        var t = CreationVectors.Torrent(id);
        var f = t.GetProperty("files").EnumerateArray().First(x => x.GetProperty("path").GetString() == path);
        var data = CreationVectors.Payload(f.GetProperty("payload_seed").GetString()!, f.GetProperty("size").GetInt64());
        string layer = string.Concat(f.GetProperty("piece_layer").EnumerateArray().Select(h => h.GetString()));
        return (data, t.GetProperty("piece_length").GetInt32(), f.GetProperty("pieces_root").GetString()!, layer);
    }
}
