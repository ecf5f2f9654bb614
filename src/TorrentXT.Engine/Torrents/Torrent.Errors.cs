// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Storage;

namespace TorrentXT.Engine.Torrents;

/// <summary>
/// The error state: a disk failure (disk full, permission denied, a file deleted or cut short under
/// the torrent, a save path that is a file) stops this torrent only. It keeps every verified piece;
/// <see cref="ClearError"/> lets it continue once the cause is fixed.
/// </summary>
public sealed partial class Torrent
{
    private bool _pausedByError, _checkFailed;
    // When the error was last cleared: a failure that happened before it (an I/O that was already
    // in flight, reported late) is stale and must not stop the torrent again.
    private long _errorClearedAt;

    public bool HasError { get { lock (Sync) return _error.Length > 0; } }

    /// <summary>
    /// A disk operation of this torrent failed: status error text, fileError and torrentError
    /// alerts, and the torrent is paused (the queue manager leaves errored torrents alone). Only the
    /// first failure counts until the error is cleared, and failures from before the last clear are
    /// ignored. Called by checking and by the swarm.
    /// </summary>
    internal void OnStorageError(Exception e)
    {
        int code = e is StorageException se ? se.ErrorCode : e.HResult & 0xFFFF;
        string message = e is StorageException s2 ? s2.ErrorMessage : e.Message;
        string? path = (e as StorageException)?.Path;
        bool paused = false;
        lock (Sync)
        {
            if (Removed || _error.Length > 0) return;
            if (e is StorageException { RaisedAt: var at } && at <= _errorClearedAt) return;
            _error = e.Message;
            Post(new FileErrorAlert(this, code, message, path));
            Post(new TorrentErrorAlert(this, code, message));
            if ((_flags & TorrentFlags.Paused) == 0)
            {
                _flags |= TorrentFlags.Paused;
                _pausedByError = paused = true;
                Post(new TorrentPausedAlert(this));
            }
        }
        if (paused) Session.ScheduleQueueUpdate();
    }

    /// <summary>
    /// Clears the error. A torrent the error paused resumes (keeping its verified pieces); one whose
    /// check failed is checked again.
    /// </summary>
    public void ClearError()
    {
        bool resume, recheck;
        lock (Sync)
        {
            if (_error.Length == 0) return;
            _error = "";
            _errorClearedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            resume = _pausedByError;
            recheck = _checkFailed && Info is not null;
            _pausedByError = _checkFailed = false;
        }
        if (recheck) ForceRecheck();
        if (resume) Resume();
        else Session.ScheduleQueueUpdate();
    }
}
