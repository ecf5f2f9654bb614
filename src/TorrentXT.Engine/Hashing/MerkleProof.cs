// SPDX-License-Identifier: MIT
using System.Numerics;
using System.Security.Cryptography;

namespace TorrentXT.Engine.Hashing;

/// <summary>
/// BEP 52 proofs: a run of nodes of one layer of a file's tree, plus the uncle hashes above the
/// run's own subtree, hashes up to the file's pieces root. Layers count up from the 16 KiB leaves
/// (layer 0); a tree of height h has its root at layer h.
/// </summary>
public static class MerkleProof
{
    /// <summary>
    /// Whether <paramref name="baseHashes"/> (a power-of-two count of nodes of layer
    /// <paramref name="baseLayer"/>, the first at <paramref name="index"/>) and
    /// <paramref name="uncles"/> (lowest first) prove <paramref name="root32"/>, the root of a tree of
    /// height <paramref name="height"/>. The proof must end exactly at the root.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> baseHashes, int baseLayer, long index, ReadOnlySpan<byte> uncles,
        int height, ReadOnlySpan<byte> root32)
    {
        if (baseHashes.Length == 0 || baseHashes.Length % Merkle.HashSize != 0 || uncles.Length % Merkle.HashSize != 0) return false;
        long count = baseHashes.Length / Merkle.HashSize;
        if (!BitOperations.IsPow2(count) || index < 0 || index % count != 0 || baseLayer < 0) return false;
        int runLayers = BitOperations.Log2((ulong)count);
        int uncleCount = uncles.Length / Merkle.HashSize;
        if (baseLayer + runLayers + uncleCount != height) return false;

        Span<byte> node = stackalloc byte[Merkle.HashSize];
        Span<byte> pair = stackalloc byte[2 * Merkle.HashSize];
        Merkle.RootFromLayer(baseHashes, baseLayer, count, node);
        long position = index >> runLayers;
        for (int i = 0; i < uncleCount; i++)
        {
            var uncle = uncles.Slice(i * Merkle.HashSize, Merkle.HashSize);
            // A left child's sibling is on its right, and the other way round.
            if ((position & 1) == 0) { node.CopyTo(pair); uncle.CopyTo(pair[Merkle.HashSize..]); }
            else { uncle.CopyTo(pair); node.CopyTo(pair[Merkle.HashSize..]); }
            SHA256.HashData(pair, node);
            position >>= 1;
        }
        return position == 0 && node.SequenceEqual(root32);
    }
}

/// <summary>
/// The upper part of one file's tree, from its piece layer (padded to a power of two with the
/// roots of all-zero pieces) up to the root: what a seeder needs to answer hash requests for any
/// layer at or above the piece layer. Immutable once built.
/// </summary>
public sealed class LayerTree
{
    // _levels[k] holds the nodes of layer BaseLayer + k; the last level is the root alone.
    private readonly byte[][] _levels;

    /// <param name="layer">The file's piece layer, one 32-byte hash per piece (unpadded).</param>
    /// <param name="baseLayer">Its layer number: log2 of the blocks per piece.</param>
    /// <param name="height">The file's tree height (see <see cref="PeerWire.HashRequest.TreeHeight"/>).</param>
    public LayerTree(ReadOnlySpan<byte> layer, int baseLayer, int height)
    {
        if (baseLayer < 0 || height < baseLayer) throw new ArgumentOutOfRangeException(nameof(height));
        long width = 1L << (height - baseLayer);
        int n = layer.Length / Merkle.HashSize;
        if (layer.Length % Merkle.HashSize != 0 || n > width) throw new ArgumentException("layer does not fit the tree", nameof(layer));
        BaseLayer = baseLayer;
        Height = height;
        _levels = new byte[height - baseLayer + 1][];
        var level = new byte[checked((int)width * Merkle.HashSize)];
        layer.CopyTo(level);
        for (long i = n; i < width; i++) Merkle.PadHash(baseLayer).CopyTo(level.AsSpan((int)i * Merkle.HashSize));
        _levels[0] = level;
        for (int k = 1; k < _levels.Length; k++)
        {
            var below = _levels[k - 1];
            var up = new byte[below.Length / 2];
            for (int i = 0; i < up.Length / Merkle.HashSize; i++)
                SHA256.HashData(below.AsSpan(2 * i * Merkle.HashSize, 2 * Merkle.HashSize), up.AsSpan(i * Merkle.HashSize, Merkle.HashSize));
            _levels[k] = up;
        }
    }

    public int BaseLayer { get; }
    public int Height { get; }
    public ReadOnlySpan<byte> Root => _levels[^1];

    /// <summary>
    /// The payload of a hashes message: <paramref name="count"/> nodes of <paramref name="layer"/>
    /// from <paramref name="index"/>, then one uncle per proof layer above the run's own subtree
    /// (libtorrent's layout). Null when the layer is below this tree's base or the request does not fit.
    /// </summary>
    public byte[]? Reply(int layer, int index, int count, int proofLayers)
    {
        if (layer < BaseLayer || layer >= Height || count < 2 || !BitOperations.IsPow2(count) || index < 0 || index % count != 0) return null;
        int k = layer - BaseLayer;
        var nodes = _levels[k];
        if ((long)(index + (long)count) * Merkle.HashSize > nodes.Length || proofLayers < 0 || layer + proofLayers >= Height) return null;
        int runLayers = BitOperations.Log2((uint)count);
        int uncles = Math.Max(0, proofLayers - runLayers + 1);
        var reply = new byte[(count + uncles) * Merkle.HashSize];
        nodes.AsSpan(index * Merkle.HashSize, count * Merkle.HashSize).CopyTo(reply);
        int at = count * Merkle.HashSize;
        for (int i = Math.Max(0, runLayers - 1); i < proofLayers; i++)
        {
            long sibling = ((long)index >> (i + 1)) ^ 1;
            _levels[k + i + 1].AsSpan((int)sibling * Merkle.HashSize, Merkle.HashSize).CopyTo(reply.AsSpan(at));
            at += Merkle.HashSize;
        }
        return reply;
    }
}
