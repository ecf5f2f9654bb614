// SPDX-License-Identifier: MIT
using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;

namespace TorrentXT.Engine.Hashing;

/// <summary>
/// BEP 52 merkle hashing: SHA-256 over 16 KiB leaf blocks, trees padded to a power-of-two leaf
/// count with all-zero leaf hashes. Every method writes into caller-provided spans so hot paths
/// allocate nothing; the array-returning overloads are conveniences for cold paths.
/// </summary>
public static class Merkle
{
    /// <summary>Size of one leaf block (BEP 52).</summary>
    public const int BlockSize = 16 * 1024;

    /// <summary>Size of one SHA-256 node.</summary>
    public const int HashSize = 32;

    /// <summary>Deepest pad subtree the table holds: 2^63 leaves, far beyond any file.</summary>
    private const int MaxDepth = 63;

    // PadHashes[d] is the root of a subtree of 2^d all-zero leaves; PadHashes[0] is 32 zero bytes.
    private static readonly byte[] PadHashes = BuildPadHashes();

    private static byte[] BuildPadHashes()
    {
        var table = new byte[(MaxDepth + 1) * HashSize];
        Span<byte> pair = stackalloc byte[2 * HashSize];
        for (int d = 1; d <= MaxDepth; d++)
        {
            ReadOnlySpan<byte> child = table.AsSpan((d - 1) * HashSize, HashSize);
            child.CopyTo(pair);
            child.CopyTo(pair[HashSize..]);
            SHA256.HashData(pair, table.AsSpan(d * HashSize, HashSize));
        }
        return table;
    }

    /// <summary>The root of a subtree of 2^<paramref name="depth"/> zero leaves (depth 0 = the zero leaf).</summary>
    public static ReadOnlySpan<byte> PadHash(int depth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(depth, MaxDepth);
        return PadHashes.AsSpan(depth * HashSize, HashSize);
    }

    /// <summary>SHA-256 of one block (the last block of a file may be shorter than 16 KiB and is hashed as is).</summary>
    public static void BlockHash(ReadOnlySpan<byte> block, Span<byte> destination32) => SHA256.HashData(block, destination32);

    /// <summary>SHA-256 of one block, allocating the result.</summary>
    public static byte[] BlockHash(ReadOnlySpan<byte> block) => SHA256.HashData(block);

    /// <summary>Number of 16 KiB leaves of a file of the given size (0 for an empty file).</summary>
    public static long LeafCount(long fileSize) => (fileSize + BlockSize - 1) / BlockSize;

    /// <summary>The smallest power of two that is at least <paramref name="n"/> (1 for n &lt;= 1).</summary>
    public static long PowerOfTwoAtLeast(long n) => n <= 1 ? 1 : (long)BitOperations.RoundUpToPowerOf2((ulong)n);

    /// <summary>
    /// Root of a tree whose first leaves are <paramref name="leaves32"/> (32 bytes each) and whose
    /// remaining leaves, up to <paramref name="leafCountPadded"/> (a power of two), are zero hashes.
    /// </summary>
    public static void RootFromLeaves(ReadOnlySpan<byte> leaves32, long leafCountPadded, Span<byte> root32)
        => RootFromLayer(leaves32, 0, leafCountPadded, root32);

    /// <inheritdoc cref="RootFromLeaves(ReadOnlySpan{byte}, long, Span{byte})"/>
    public static byte[] RootFromLeaves(ReadOnlySpan<byte> leaves32, long leafCountPadded)
    {
        var root = new byte[HashSize];
        RootFromLeaves(leaves32, leafCountPadded, root);
        return root;
    }

    /// <summary>
    /// Root of a tree built on a layer of nodes that sits <paramref name="layerDepth"/> levels above
    /// the leaves: missing nodes of that layer, up to <paramref name="nodeCountPadded"/> (a power of
    /// two), are roots of all-zero subtrees of that depth.
    /// </summary>
    public static void RootFromLayer(ReadOnlySpan<byte> nodes32, int layerDepth, long nodeCountPadded, Span<byte> root32)
    {
        if (nodes32.Length % HashSize != 0) throw new ArgumentException("layer length must be a multiple of 32", nameof(nodes32));
        if (nodeCountPadded < 1 || !BitOperations.IsPow2(nodeCountPadded))
            throw new ArgumentException("padded node count must be a power of two", nameof(nodeCountPadded));
        int n = nodes32.Length / HashSize;
        if (n > nodeCountPadded) throw new ArgumentException("more nodes than the padded count", nameof(nodes32));
        int height = BitOperations.Log2((ulong)nodeCountPadded);

        if (n == 0) { PadHash(layerDepth + height).CopyTo(root32); return; }
        if (height == 0) { nodes32[..HashSize].CopyTo(root32); return; }

        // Reduce level by level into scratch: level k+1 needs half the nodes of level k.
        int scratchLen = (n + 1) / 2 * HashSize;
        byte[]? rented = null;
        Span<byte> scratch = scratchLen <= 2048 ? stackalloc byte[2048] : (rented = ArrayPool<byte>.Shared.Rent(scratchLen));
        try
        {
            scoped ReadOnlySpan<byte> level = nodes32;
            for (int h = 0; h < height; h++)
            {
                int next = (n + 1) / 2;
                ReduceLevel(level, n, layerDepth + h, scratch);
                level = scratch[..(next * HashSize)];
                n = next;
            }
            level[..HashSize].CopyTo(root32);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // Hashes pairs of one level into the next; an odd last node pairs with the zero subtree of its depth.
    // Writing into the same buffer it reads is safe: output i is written after inputs 2i and 2i+1 were read.
    private static void ReduceLevel(ReadOnlySpan<byte> level, int n, int depth, Span<byte> output)
    {
        Span<byte> pair = stackalloc byte[2 * HashSize];
        Span<byte> digest = stackalloc byte[HashSize];
        for (int i = 0; 2 * i < n; i++)
        {
            if (2 * i + 1 < n)
            {
                SHA256.HashData(level.Slice(2 * i * HashSize, 2 * HashSize), digest);
            }
            else
            {
                level.Slice(2 * i * HashSize, HashSize).CopyTo(pair);
                PadHash(depth).CopyTo(pair[HashSize..]);
                SHA256.HashData(pair, digest);
            }
            digest.CopyTo(output.Slice(i * HashSize, HashSize));
        }
    }

    /// <summary>
    /// Root of the subtree over <paramref name="data"/> split into 16 KiB blocks, padded with zero
    /// leaves to <paramref name="leafCountPadded"/> leaves. For a piece of a file bigger than one
    /// piece pass the piece's leaf count (piece length / 16 KiB); for a whole small file pass
    /// <see cref="PowerOfTwoAtLeast"/> of its leaf count.
    /// </summary>
    public static void SubtreeRoot(ReadOnlySpan<byte> data, long leafCountPadded, Span<byte> root32)
    {
        long leaves = LeafCount(data.Length);
        if (leaves > leafCountPadded) throw new ArgumentException("data is larger than the subtree", nameof(data));
        int leafBytes = checked((int)leaves * HashSize);
        byte[]? rented = null;
        Span<byte> hashes = leafBytes <= 2048 ? stackalloc byte[2048] : (rented = ArrayPool<byte>.Shared.Rent(leafBytes));
        try
        {
            for (int i = 0; i < leaves; i++)
            {
                int start = i * BlockSize;
                int len = Math.Min(BlockSize, data.Length - start);
                SHA256.HashData(data.Slice(start, len), hashes.Slice(i * HashSize, HashSize));
            }
            RootFromLayer(hashes[..leafBytes], 0, leafCountPadded, root32);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The pieces root of a whole file held in memory (all zeros for an empty file, which has no root in a torrent).</summary>
    public static byte[] FileRoot(ReadOnlySpan<byte> fileData)
    {
        var root = new byte[HashSize];
        SubtreeRoot(fileData, PowerOfTwoAtLeast(LeafCount(fileData.Length)), root);
        return root;
    }

    /// <summary>
    /// The piece layer of a file held in memory: one subtree root per piece, the last piece padded
    /// with zero leaves to the full piece. A file of at most one piece has no layer (empty array).
    /// </summary>
    public static byte[] PieceLayer(ReadOnlySpan<byte> fileData, int pieceLength)
    {
        int leavesPerPiece = LeavesPerPiece(pieceLength);
        if (fileData.Length <= pieceLength) return [];
        int pieces = (int)((fileData.Length + (long)pieceLength - 1) / pieceLength);
        var layer = new byte[pieces * HashSize];
        for (int p = 0; p < pieces; p++)
        {
            int start = p * pieceLength;
            int len = Math.Min(pieceLength, fileData.Length - start);
            SubtreeRoot(fileData.Slice(start, len), leavesPerPiece, layer.AsSpan(p * HashSize, HashSize));
        }
        return layer;
    }

    /// <summary>
    /// The piece layer of a file from its leaf hashes (32 bytes per 16 KiB block, in order). A file of
    /// at most one piece has no layer (empty array).
    /// </summary>
    public static byte[] PieceLayerFromLeaves(ReadOnlySpan<byte> leaves32, int pieceLength)
    {
        int leavesPerPiece = LeavesPerPiece(pieceLength);
        if (leaves32.Length % HashSize != 0) throw new ArgumentException("leaves must be 32 bytes each", nameof(leaves32));
        int leaves = leaves32.Length / HashSize;
        if (leaves <= leavesPerPiece) return [];
        int pieces = (leaves + leavesPerPiece - 1) / leavesPerPiece;
        var layer = new byte[pieces * HashSize];
        for (int p = 0; p < pieces; p++)
        {
            int first = p * leavesPerPiece;
            int count = Math.Min(leavesPerPiece, leaves - first);
            RootFromLayer(leaves32.Slice(first * HashSize, count * HashSize), 0, leavesPerPiece, layer.AsSpan(p * HashSize, HashSize));
        }
        return layer;
    }

    /// <summary>
    /// The pieces root of a file computed from its piece layer: the layer is padded with roots of
    /// all-zero piece subtrees up to a power of two. For a file of at most one piece the "layer" is
    /// not defined; pass that file's root instead and it is returned unchanged.
    /// </summary>
    public static void RootFromPieceLayer(ReadOnlySpan<byte> layer, int pieceLength, long fileSize, Span<byte> root32)
    {
        int leavesPerPiece = LeavesPerPiece(pieceLength);
        long pieces = (fileSize + pieceLength - 1) / pieceLength;
        if (layer.Length != pieces * HashSize) throw new ArgumentException("layer does not match the file size", nameof(layer));
        RootFromLayer(layer, BitOperations.Log2((uint)leavesPerPiece), PowerOfTwoAtLeast(pieces), root32);
    }

    /// <inheritdoc cref="RootFromPieceLayer(ReadOnlySpan{byte}, int, long, Span{byte})"/>
    public static byte[] RootFromPieceLayer(ReadOnlySpan<byte> layer, int pieceLength, long fileSize)
    {
        var root = new byte[HashSize];
        RootFromPieceLayer(layer, pieceLength, fileSize, root);
        return root;
    }

    /// <summary>
    /// Checks one piece of a file against its expected node: the piece layer entry for a file
    /// bigger than one piece, or the pieces root for a file of at most one piece.
    /// <paramref name="pieceData"/> holds only the file's bytes of that piece (short for the last piece).
    /// </summary>
    public static bool VerifyPiece(ReadOnlySpan<byte> pieceData, int pieceLength, long fileSize, ReadOnlySpan<byte> expected32)
    {
        Span<byte> root = stackalloc byte[HashSize];
        PieceRoot(pieceData, pieceLength, fileSize, root);
        return root.SequenceEqual(expected32);
    }

    /// <summary>
    /// The node a piece's data hashes to: its subtree root padded to a full piece when the file
    /// has more than one piece, else the file's own root (padded only to a power of two of its leaves).
    /// </summary>
    public static void PieceRoot(ReadOnlySpan<byte> pieceData, int pieceLength, long fileSize, Span<byte> root32)
    {
        long padded = fileSize > pieceLength ? LeavesPerPiece(pieceLength) : PowerOfTwoAtLeast(LeafCount(fileSize));
        SubtreeRoot(pieceData, padded, root32);
    }

    /// <summary>Leaves in one piece; v2 piece lengths are powers of two of at least 16 KiB.</summary>
    public static int LeavesPerPiece(int pieceLength)
    {
        if (pieceLength < BlockSize || !BitOperations.IsPow2(pieceLength))
            throw new ArgumentException("v2 piece length must be a power of two of at least 16 KiB", nameof(pieceLength));
        return pieceLength / BlockSize;
    }
}
