// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.WebSeeds;

/// <summary>
/// What a web seed needs from its torrent's swarm: whole pieces to fetch, and the normal storage
/// path (write, hash, have) for the bytes it brings. The swarm's piece picker owns the bookkeeping
/// (the seed is a pseudo-peer there), so peers and web seeds never fetch the same piece at once
/// outside end-game.
/// </summary>
internal interface IWebSeedHost
{
    FileStorage Files { get; }
    /// <summary>Claims for the seed a wanted piece that nobody is downloading; false when there is none.</summary>
    bool TryClaimPiece(WebSeed seed, out int piece);
    /// <summary>Gives back a claimed piece that could not be fetched; peers or another seed may take it.</summary>
    void ReleasePiece(WebSeed seed, int piece);
    /// <summary>
    /// Writes a whole claimed piece and checks its hash: true when it passed, false when it failed
    /// (already counted against the seed through <see cref="WebSeed.OnBadPiece"/>), null when the
    /// verdict was not this seed's to wait for (peers delivered the last blocks, or the swarm stopped).
    /// </summary>
    Task<bool?> StorePieceAsync(WebSeed seed, int piece, ReadOnlyMemory<byte> data);
}
