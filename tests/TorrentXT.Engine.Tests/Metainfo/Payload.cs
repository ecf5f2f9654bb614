// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>The vectors' deterministic payload (payload.py) and BEP 52's merkle rule, computed independently.</summary>
internal static class Payload
{
    /// <summary>block(k) = SHA-256(UTF-8(seed) || 0x00 || uint64_le(k)), concatenated, truncated.</summary>
    public static void Fill(string seed, Span<byte> into)
    {
        var prefix = Encoding.UTF8.GetBytes(seed);
        var input = new byte[prefix.Length + 9];
        prefix.CopyTo(input, 0);
        Span<byte> block = stackalloc byte[32];
        for (long k = 0; k * 32 < into.Length; k++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(prefix.Length + 1), (ulong)k);
            SHA256.HashData(input, block);
            int n = (int)Math.Min(32, into.Length - k * 32);
            block[..n].CopyTo(into[(int)(k * 32)..]);
        }
    }

    /// <summary>Merkle root over 16 KiB leaves, padded with zero hashes to whole pieces and a power of two.</summary>
    public static byte[] PiecesRoot(ReadOnlySpan<byte> file, int pieceLength)
    {
        int blocks = (file.Length + MerkleRoot.BlockSize - 1) / MerkleRoot.BlockSize;
        int perPiece = pieceLength / MerkleRoot.BlockSize;
        // Files above one piece pad their leaf layer to a whole number of pieces first.
        int leaves = blocks <= perPiece ? blocks : (blocks + perPiece - 1) / perPiece * perPiece;
        var layer = new byte[leaves * 32];
        for (int b = 0; b < blocks; b++)
        {
            var chunk = file.Slice(b * MerkleRoot.BlockSize, Math.Min(MerkleRoot.BlockSize, file.Length - b * MerkleRoot.BlockSize));
            SHA256.HashData(chunk, layer.AsSpan(b * 32));
        }
        return MerkleRoot.RootOfLayer(layer, new byte[32]);
    }
}
