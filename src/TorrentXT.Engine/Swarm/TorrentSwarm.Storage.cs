// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Storage;

namespace TorrentXT.Engine.Swarm;

/// <summary>What resume data and storage moves need from a swarm: its storage, and letting go of it.</summary>
internal sealed partial class TorrentSwarm
{
    /// <summary>The open storage, or null before the torrent is checked (or while it moves).</summary>
    public TorrentStorage? CurrentStorage
    {
        get { lock (_sync) return _storage; }
    }

    /// <summary>
    /// The blocks of pieces in progress that are written to disk, as resume data's 'unfinished'
    /// (piece, bitmask MSB first); null before the picker exists. Taken before the storage is
    /// flushed, so every block listed is covered by that flush.
    /// </summary>
    public List<(int Piece, byte[] Bitmask)>? WrittenBlocks()
    {
        lock (_sync)
        {
            if (_picker is null) return null;
            var list = new List<(int Piece, byte[] Bitmask)>();
            _picker.CollectWrittenBlocks(list);
            return list;
        }
    }

    /// <summary>
    /// Lets go of the storage (peers stay connected): writes in flight are dropped and their blocks
    /// requested again, and the next tick opens a new storage at the torrent's save path once the
    /// torrent is ready for peers again. The caller closes the returned storage on the disk worker.
    /// </summary>
    public TorrentStorage? ReleaseStorage()
    {
        lock (_sync)
        {
            var storage = _storage;
            _storage = null;
            // A new picker comes with the new storage: peers are counted again and their
            // outstanding requests are forgotten (late blocks are ignored until then).
            _picker = null;
            _appliedPriorities = null;
            _appliedDeadlines = null;
            foreach (var p in _peers)
            {
                p.CountedByPicker = false;
                p.Requests.Clear();
            }
            return storage;
        }
    }
}
