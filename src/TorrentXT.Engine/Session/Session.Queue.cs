// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine;

/// <summary>The download queue and the auto-manager that starts and stops auto-managed torrents.</summary>
public sealed partial class Session
{
    public enum QueueMove { Up = 0, Down = 1, Top = 2, Bottom = 3 }

    /// <summary>0-based position in the download queue, or -1 when the torrent is finished or seeding.</summary>
    public int QueuePosition(Torrent torrent)
    {
        lock (_sync) return _queue.IndexOf(torrent);
    }

    public void MoveInQueue(Torrent torrent, QueueMove move)
    {
        lock (_sync)
        {
            int at = _queue.IndexOf(torrent);
            if (at < 0) return;
            int to = move switch
            {
                QueueMove.Up => Math.Max(0, at - 1),
                QueueMove.Down => Math.Min(_queue.Count - 1, at + 1),
                QueueMove.Top => 0,
                _ => _queue.Count - 1,
            };
            _queue.RemoveAt(at);
            _queue.Insert(to, torrent);
        }
        ScheduleQueueUpdate();
    }

    /// <summary>A torrent finished (leaves the queue) or needs data again (joins its end).</summary>
    internal void OnTorrentDoneChanged(Torrent torrent, bool done)
    {
        lock (_sync)
        {
            if (!_torrents.Contains(torrent)) return;
            int at = _queue.IndexOf(torrent);
            if (done && at >= 0) _queue.RemoveAt(at);
            else if (!done && at < 0) _queue.Add(torrent);
        }
        ScheduleQueueUpdate();
    }

    /// <summary>Coalesces requests: one auto-manage pass runs on the engine loop soon after.</summary>
    internal void ScheduleQueueUpdate()
    {
        if (Interlocked.Exchange(ref _queueUpdatePending, 1) == 1) return;
        _loop.Post(() =>
        {
            Interlocked.Exchange(ref _queueUpdatePending, 0);
            UpdateQueue();
            Swarm.Wake(); // torrents this started (or the add/resume that asked for it) dial now
        });
    }

    /// <summary>
    /// Starts auto-managed torrents in queue order up to <c>active_downloads</c> and
    /// <c>active_seeds</c> (and <c>active_limit</c> overall); pauses the rest. A paused session
    /// keeps every auto-managed torrent stopped.
    /// </summary>
    private void UpdateQueue()
    {
        Torrent[] downloading, all;
        bool sessionPaused;
        lock (_sync)
        {
            downloading = _queue.ToArray();
            all = _torrents.ToArray();
            sessionPaused = _paused;
        }
        int downloadSlots = Limit("active_downloads"), seedSlots = Limit("active_seeds"), total = Limit("active_limit");
        int started = 0;
        foreach (var t in downloading)
        {
            if (!t.IsAutoManaged || t.HasError) continue; // an errored torrent stays stopped until cleared
            bool run = !sessionPaused && downloadSlots > 0 && started < total;
            if (run) { downloadSlots--; started++; }
            t.SetQueuedPaused(!run);
        }
        foreach (var t in all)
        {
            if (!t.IsAutoManaged || t.HasError || t.CountsAsDownloading) continue;
            bool run = !sessionPaused && seedSlots > 0 && started < total;
            if (run) { seedSlots--; started++; }
            t.SetQueuedPaused(!run);
        }
    }

    /// <summary>A queue limit; -1 (or any negative value) means unlimited.</summary>
    private int Limit(string name)
    {
        int v = Settings.GetInt(name);
        return v < 0 ? int.MaxValue : v;
    }
}
