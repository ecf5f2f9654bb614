// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.PeerWire;

/// <summary>What happened to one metadata block.</summary>
public enum MetadataBlockResult
{
    /// <summary>Stored; more pieces are still missing.</summary>
    Accepted,
    /// <summary>That piece was already there (or the metadata is complete); nothing changed.</summary>
    Duplicate,
    /// <summary>This was the last piece and the info dictionary matches the info-hash(es).</summary>
    Complete,
    /// <summary>All pieces were there but the hash did not match; everything was discarded and is needed again.</summary>
    HashMismatch,
}

/// <summary>
/// Collects the 16 KiB pieces of an info dictionary fetched with BEP 9 from one or more peers. When
/// the last piece arrives it checks the SHA-1 (v1) and the SHA-256 (v2) of the whole, whichever of
/// them <see cref="InfoHashes"/> carries, and starts over if either is wrong. Not thread-safe.
/// </summary>
public sealed class MetadataAssembler
{
    private readonly InfoHashes _expected;
    private readonly bool[] _have;
    private byte[]? _buffer;

    /// <param name="expected">The torrent's identity (from the magnet link).</param>
    /// <param name="totalSize">metadata_size from a peer's extension handshake.</param>
    /// <param name="maxMetadataSize">The max_metadata_size setting (libtorrent's default is 30 MiB).</param>
    /// <exception cref="PeerWireException">The size is not positive or is above the limit.</exception>
    public MetadataAssembler(InfoHashes expected, long totalSize, int maxMetadataSize = UtMetadata.DefaultMaxMetadataSize)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (!expected.HasV1 && !expected.HasV2) throw new ArgumentException("no info-hash to verify against", nameof(expected));
        if (totalSize <= 0 || totalSize > maxMetadataSize)
            throw new PeerWireException(PeerWireError.InvalidMetadataSize, $"invalid metadata size {totalSize} (limit {maxMetadataSize})");
        _expected = expected;
        TotalSize = (int)totalSize;
        PieceCount = UtMetadata.PieceCount(totalSize);
        _have = new bool[PieceCount];
        Remaining = PieceCount;
    }

    public int TotalSize { get; }
    public int PieceCount { get; }
    /// <summary>Pieces still missing.</summary>
    public int Remaining { get; private set; }
    public bool IsComplete { get; private set; }
    /// <summary>How many times a full set failed the hash check.</summary>
    public int HashFailures { get; private set; }

    /// <summary>The verified info dictionary; empty until <see cref="IsComplete"/>.</summary>
    public ReadOnlyMemory<byte> InfoBytes => IsComplete ? _buffer : ReadOnlyMemory<byte>.Empty;

    public bool IsMissing(int piece) => (uint)piece < (uint)PieceCount && !_have[piece];

    /// <summary>The first missing piece at or after <paramref name="from"/> (wrapping around), or -1 when none is missing.</summary>
    public int NextMissing(int from = 0)
    {
        if (Remaining == 0) return -1;
        if ((uint)from >= (uint)PieceCount) from = 0;
        for (int i = 0; i < PieceCount; i++)
        {
            int p = (from + i) % PieceCount;
            if (!_have[p]) return p;
        }
        return -1;
    }

    /// <summary>Adds a decoded data message, checking that it describes the same metadata.</summary>
    public MetadataBlockResult Add(MetadataMessage message)
    {
        if (message.Type != MetadataMessageType.Data)
            throw new ArgumentException("only data messages carry a block", nameof(message));
        if (message.TotalSize != TotalSize)
            throw new PeerWireException(PeerWireError.InvalidMetadataMessage, $"invalid ut_metadata message: total_size {message.TotalSize}, expected {TotalSize}");
        return Add(message.Piece, message.Block);
    }

    /// <exception cref="PeerWireException">The piece index is out of range or the block has the wrong size for it.</exception>
    public MetadataBlockResult Add(int piece, ReadOnlySpan<byte> block)
    {
        if ((uint)piece >= (uint)PieceCount)
            throw new PeerWireException(PeerWireError.InvalidMetadataMessage, $"invalid ut_metadata message: piece {piece} of {PieceCount}");
        int size = UtMetadata.PieceSize(TotalSize, piece);
        if (block.Length != size)
            throw new PeerWireException(PeerWireError.InvalidMetadataMessage, $"invalid ut_metadata message: piece {piece} has {block.Length} bytes, expected {size}");
        if (IsComplete || _have[piece]) return MetadataBlockResult.Duplicate;

        _buffer ??= new byte[TotalSize];
        block.CopyTo(_buffer.AsSpan(piece * UtMetadata.BlockSize));
        _have[piece] = true;
        if (--Remaining > 0) return MetadataBlockResult.Accepted;

        if (Matches(_buffer))
        {
            IsComplete = true;
            return MetadataBlockResult.Complete;
        }
        HashFailures++;
        Reset();
        return MetadataBlockResult.HashMismatch;
    }

    /// <summary>Forgets every piece (for example when the torrent is removed before completion).</summary>
    public void Reset()
    {
        Array.Clear(_have);
        // Every byte is overwritten before the next check, so the buffer is kept, except when it was
        // already handed out as InfoBytes.
        if (IsComplete) _buffer = null;
        Remaining = PieceCount;
        IsComplete = false;
    }

    private bool Matches(ReadOnlySpan<byte> info)
    {
        if (_expected.HasV1)
        {
            Span<byte> sha1 = stackalloc byte[SHA1.HashSizeInBytes];
            SHA1.HashData(info, sha1);
            if (!sha1.SequenceEqual(_expected.V1Span)) return false;
        }
        if (_expected.HasV2)
        {
            Span<byte> sha256 = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(info, sha256);
            if (!sha256.SequenceEqual(_expected.V2Span)) return false;
        }
        return true;
    }
}
