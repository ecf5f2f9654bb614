// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;

namespace TorrentXT.Engine.Torrents;

/// <summary>Pause, resume and the flag set.</summary>
public sealed partial class Torrent
{
    /// <summary>Pauses the torrent (an explicit pause, or the queue manager's when auto-managed).</summary>
    public void Pause()
    {
        lock (Sync)
        {
            if ((_flags & TorrentFlags.Paused) != 0) return;
            _flags |= TorrentFlags.Paused;
            Post(new TorrentPausedAlert(this));
        }
        Session.ScheduleQueueUpdate();
    }

    /// <summary>Resumes the torrent. Auto-management is unchanged, so the queue may pause it again.</summary>
    public void Resume()
    {
        lock (Sync)
        {
            if ((_flags & TorrentFlags.Paused) == 0) return;
            _flags &= ~TorrentFlags.Paused;
            Post(new TorrentResumedAlert(this));
        }
        Session.ScheduleQueueUpdate();
    }

    /// <summary>Sets the bits selected by <paramref name="mask"/> to those of <paramref name="flags"/> (libtorrent's set_flags).</summary>
    public void SetFlags(TorrentFlags flags, TorrentFlags mask)
    {
        mask &= TorrentFlags.Mutable;
        // seed_mode can only be cleared after the add.
        if ((flags & TorrentFlags.SeedMode) != 0) mask &= ~TorrentFlags.SeedMode;
        bool? pause = null;
        lock (Sync)
        {
            if ((mask & TorrentFlags.Paused) != 0) pause = (flags & TorrentFlags.Paused) != 0;
            var keep = mask & ~TorrentFlags.Paused;
            _flags = (_flags & ~keep) | (flags & keep);
        }
        if (pause == true) Pause();
        else if (pause == false) Resume();
        Session.ScheduleQueueUpdate();
    }

    public void UnsetFlags(TorrentFlags flags) => SetFlags(TorrentFlags.None, flags);

    /// <summary>The queue manager starts or stops an auto-managed torrent.</summary>
    internal void SetQueuedPaused(bool paused)
    {
        lock (Sync)
        {
            bool isPaused = (_flags & TorrentFlags.Paused) != 0;
            if (isPaused == paused) return;
            if (paused) { _flags |= TorrentFlags.Paused; Post(new TorrentPausedAlert(this)); }
            else { _flags &= ~TorrentFlags.Paused; Post(new TorrentResumedAlert(this)); }
        }
    }

    /// <summary>Whether the queue counts this torrent as downloading (not yet finished).</summary>
    internal bool CountsAsDownloading
    {
        get
        {
            lock (Sync) return _state is not (TorrentState.Finished or TorrentState.Seeding);
        }
    }
}
