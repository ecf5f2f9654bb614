// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>Storage access for resume data (flush) and storage moves (release).</summary>
internal sealed partial class SwarmHost
{
    /// <summary>The torrent's open storage, or null.</summary>
    public TorrentStorage? StorageOf(Torrent t) => SwarmOf(t)?.CurrentStorage;

    /// <summary>The torrent's partial pieces written to disk (see <see cref="TorrentSwarm.WrittenBlocks"/>), or null.</summary>
    public List<(int Piece, byte[] Bitmask)>? WrittenBlocksOf(Torrent t) => SwarmOf(t)?.WrittenBlocks();

    /// <summary>Detaches the torrent's storage from its swarm (see <see cref="TorrentSwarm.ReleaseStorage"/>).</summary>
    public TorrentStorage? ReleaseStorage(Torrent t) => SwarmOf(t)?.ReleaseStorage();
}
