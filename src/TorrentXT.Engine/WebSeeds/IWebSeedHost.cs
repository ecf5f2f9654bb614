// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.WebSeeds;

/// <summary>
/// What a web seed needs from its torrent's swarm: whole pieces to fetch, and the normal storage
/// path (write, hash, have) for the bytes it brings. The swarm owns the bookkeeping, so peers and
/// web seeds never fetch the same piece at once.
/// </summary>
internal interface IWebSeedHost
{
    FileStorage Files { get; }
    /// <summary>Claims a wanted piece that nobody is downloading; false when there is none.</summary>
    bool TryClaimPiece(out int piece);
    /// <summary>Gives back a claimed piece that could not be fetched; peers or another seed may take it.</summary>
    void ReleasePiece(int piece);
    /// <summary>Writes a whole claimed piece and checks its hash; true when it passed and is now ours.</summary>
    Task<bool> StorePieceAsync(int piece, ReadOnlyMemory<byte> data);
}
