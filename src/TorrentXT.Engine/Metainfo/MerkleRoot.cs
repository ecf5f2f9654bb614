// SPDX-License-Identifier: MIT
using System.Security.Cryptography;

namespace TorrentXT.Engine.Metainfo;

/// <summary>BEP 52 merkle arithmetic over SHA-256 nodes: 16 KiB leaves, zero-hash padding.</summary>
public static class MerkleRoot
{
    public const int BlockSize = 16 * 1024;
    public const int HashSize = 32;

    /// <summary>
    /// The hash of a subtree whose leaves are all the zero hash, <paramref name="depth"/> levels above
    /// the leaves (depth 0 is the 32-byte zero hash). This pads a layer up to a power of two.
    /// </summary>
    public static byte[] PadHash(int depth)
    {
        var h = new byte[HashSize];
        Span<byte> pair = stackalloc byte[2 * HashSize];
        for (int i = 0; i < depth; i++)
        {
            h.CopyTo(pair);
            h.CopyTo(pair[HashSize..]);
            SHA256.HashData(pair, h);
        }
        return h;
    }

    /// <summary>
    /// Root of the tree whose given layer is <paramref name="layer"/> (concatenated 32-byte hashes),
    /// padded to a power of two with <paramref name="pad"/> (the hash of an all-zero subtree of that layer).
    /// </summary>
    public static byte[] RootOfLayer(ReadOnlySpan<byte> layer, ReadOnlySpan<byte> pad)
    {
        int count = layer.Length / HashSize;
        if (count == 0) return pad.ToArray();
        int width = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count);
        var level = new byte[width * HashSize];
        layer[..(count * HashSize)].CopyTo(level);
        for (int i = count; i < width; i++) pad.CopyTo(level.AsSpan(i * HashSize));
        Span<byte> scratch = stackalloc byte[HashSize];
        while (width > 1)
        {
            // Hash pairs in place: node i of the next level lands where node i of this one was.
            for (int i = 0; i < width / 2; i++)
            {
                SHA256.HashData(level.AsSpan(2 * i * HashSize, 2 * HashSize), scratch);
                scratch.CopyTo(level.AsSpan(i * HashSize));
            }
            width /= 2;
        }
        return level.AsSpan(0, HashSize).ToArray();
    }

    /// <summary>Number of levels from a block leaf up to a piece node for a piece length.</summary>
    public static int PieceLayerDepth(int pieceLength) => System.Numerics.BitOperations.Log2((uint)(pieceLength / BlockSize));
}
