// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Swarm;

namespace TorrentXT.Engine.Torrents;

/// <summary>Moving the torrent's files to a new save path (on the session's disk worker).</summary>
public sealed partial class Torrent
{
    // While true the swarm opens no storage (the files are in transit).
    private bool _moving;

    /// <summary>
    /// Runs on the disk worker: the swarm lets go of the storage (flushed and closed), the files move
    /// (<see cref="StorageMover"/>: rename, or copy + verify + delete across filesystems), the save
    /// path changes and storageMoved is posted. A failure leaves the files and the save path as they
    /// were and posts fileError. Peers stay connected; transfers pick up at the new path.
    /// </summary>
    internal void RunMove(string newPath, CancellationToken token)
    {
        string oldPath;
        lock (Sync)
        {
            if (Removed) return;
            oldPath = SavePath;
            _moving = true;
        }
        try
        {
            TorrentSwarm.CloseStorage(Session.Swarm.ReleaseStorage(this));
            var info = Info;
            var paths = new List<string>();
            if (info is not null)
            {
                foreach (var f in info.Files.Files)
                    if (!f.IsPad && !f.IsSymlink) paths.Add(f.Path);
                paths.Add(StoragePaths.PartFileName(info.InfoHashes));
            }
            if (!string.Equals(Path.GetFullPath(oldPath), newPath, StringComparison.Ordinal))
                StorageMover.Move(paths, oldPath, newPath, token);
            lock (Sync) SavePath = newPath;
            // A swarm tick that passed its readiness check just before the move began may have
            // opened a storage at the old path meanwhile: let it go, the next one opens here.
            if (Session.Swarm.StorageOf(this) is { } stale && stale.SavePath != newPath)
                TorrentSwarm.CloseStorage(Session.Swarm.ReleaseStorage(this));
            Post(new StorageMovedAlert(this, oldPath, newPath));
        }
        catch (StorageException e)
        {
            Post(new FileErrorAlert(this, e.ErrorCode, e.ErrorMessage, e.Path));
        }
        finally
        {
            lock (Sync) _moving = false;
        }
    }
}
