// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Storage;

/// <summary>
/// Piece-addressed block I/O, what <see cref="DiskIoQueue"/> runs on its workers. Implemented by
/// <see cref="TorrentStorage"/>; tests substitute slow or failing fakes. Methods are called from
/// several threads at once and throw <see cref="StorageException"/> on disk failures.
/// </summary>
public interface IBlockStorage
{
    /// <summary>Writes bytes [offset, offset + data.Length) of <paramref name="piece"/>.</summary>
    void WriteBlock(int piece, int offset, ReadOnlySpan<byte> data);

    /// <summary>Fills <paramref name="destination"/> with bytes of <paramref name="piece"/> from <paramref name="offset"/>.</summary>
    void ReadBlock(int piece, int offset, Span<byte> destination);

    /// <summary>True when the piece's bytes on disk match the torrent's hashes.</summary>
    bool HashPiece(int piece);
}
