// SPDX-License-Identifier: MIT
using System.Security.Cryptography;

namespace TorrentXT.Engine.Storage;

/// <summary>
/// What has been hashed of one piece while its blocks were written: a running SHA-1 over the
/// piece's bytes written in order from offset 0, and the SHA-256 of each whole 16 KiB v2 leaf
/// (leaves can be hashed in any order). Anything not covered is read back from disk when the piece
/// is checked. A byte range written twice cannot be trusted (the disk holds whichever write landed
/// last), so it is marked for read-back. Reused between pieces.
/// </summary>
internal sealed class PieceHashState
{
    public const byte LeafMissing = 0;
    public const byte LeafHashed = 1;
    public const byte LeafReread = 2;

    public readonly Lock Gate = new();

    public PieceHashState(bool v1, int leavesPerPiece)
    {
        if (v1) Sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        LeafHashes = new byte[leavesPerPiece * 32];
        LeafStatus = new byte[leavesPerPiece];
    }

    /// <summary>SHA-1 of bytes [0, <see cref="HashedUpTo"/>) of the piece, null for a v2-only torrent.</summary>
    public IncrementalHash? Sha1 { get; }

    public int HashedUpTo;

    /// <summary>Set when bytes already in <see cref="Sha1"/> were written again: the running hash is void.</summary>
    public bool Sha1Void;

    /// <summary>Set when a write carried non-zero bytes for a pad file: the piece must fail.</summary>
    public bool PadViolation;

    public readonly byte[] LeafHashes;
    public readonly byte[] LeafStatus;

    /// <summary>Readies the state for another piece.</summary>
    public void Reset()
    {
        if (Sha1 is not null && HashedUpTo > 0)
        {
            Span<byte> discard = stackalloc byte[20];
            Sha1.GetHashAndReset(discard);
        }
        HashedUpTo = 0;
        Sha1Void = false;
        PadViolation = false;
        LeafStatus.AsSpan().Clear();
    }
}
