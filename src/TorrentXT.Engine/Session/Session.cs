// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Net;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Swarm;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine;

/// <summary>
/// A BitTorrent session: its torrents, settings, alert queue, IP filter and the two threads it
/// owns -- the engine loop (queue management and other bookkeeping) and the disk worker (checking,
/// deleting). <see cref="Dispose"/> stops and joins both; nothing of the session outlives it.
/// Lock order: a torrent's lock may be held while taking the session lock, never the reverse.
/// </summary>
public sealed partial class Session : IDisposable
{
    private readonly object _sync = new();
    private readonly List<Torrent> _torrents = new();   // in add order
    private readonly List<Torrent> _queue = new();      // download queue order (unfinished torrents)
    private readonly WorkQueue _loop;
    private readonly WorkQueue _disk;
    private readonly CancellationTokenSource _shutdown = new();
    internal readonly Swarm.SwarmHost Swarm;
    internal readonly Trackers.TrackerHost Trackers;
    internal readonly Lsd.LsdService Lsd;
    private int _queueUpdatePending;
    private bool _paused;
    private bool _disposed;

    public SettingsPack Settings { get; }
    public AlertQueue Alerts { get; }
    public IpFilter IpFilter { get; } = new();

    public Session(SettingsPack settings)
    {
        Settings = settings;
        Alerts = new AlertQueue(
            () => unchecked((uint)settings.GetInt(SettingIds.AlertMask)),
            () => settings.GetInt(SettingIds.AlertQueueSize),
            () => !settings.IsExplicitlySet(SettingIds.AlertMask));
        _loop = new WorkQueue("torrentxt-engine");
        _disk = new WorkQueue("torrentxt-disk");
        Swarm = new Swarm.SwarmHost(this);
        StartDht();
        Trackers = new Trackers.TrackerHost(this);
        Lsd = new Lsd.LsdService(this);
        StartListening();
    }

    // ---- session-wide state -------------------------------------------------------------------

    public bool IsPaused { get { lock (_sync) return _paused; } }

    /// <summary>Pauses every torrent at once without touching their own flags.</summary>
    public void Pause() { lock (_sync) _paused = true; ScheduleQueueUpdate(); }
    public void Resume() { lock (_sync) _paused = false; ScheduleQueueUpdate(); }

    /// <summary>Asks for a statistics snapshot; it arrives as a <see cref="SessionStatsAlert"/>.</summary>
    public void RequestStats()
    {
        var (nodes, cache, torrents, global) = DhtCounters();
        Alerts.Post(new SessionStatsAlert(nodes, cache, torrents, global));
    }

    // ---- torrents -----------------------------------------------------------------------------

    public IReadOnlyList<Torrent> Torrents { get { lock (_sync) return _torrents.ToArray(); } }

    /// <summary>
    /// Adds a torrent, or returns the one already in the session with the same info-hash
    /// (<paramref name="duplicate"/> is then true and nothing changes).
    /// </summary>
    public Torrent Add(AddTorrentParams p, out bool duplicate)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Torrent torrent;
        lock (_sync)
        {
            var existing = FindLocked(p.InfoHashes);
            duplicate = existing is not null;
            if (existing is not null)
            {
                Alerts.Post(new TorrentAddedAlert(existing, existing.MessageName));
                return existing;
            }
            torrent = new Torrent(this, p);
            _torrents.Add(torrent);
            _queue.Add(torrent);
            PlaceInQueueLocked(torrent);
        }
        Alerts.Post(new TorrentAddedAlert(torrent, torrent.MessageName));
        if (torrent.HasMetadata) EnqueueCheck(torrent);
        ScheduleQueueUpdate();
        return torrent;
    }

    /// <summary>Finds a torrent by a 20-byte hash: its v1 info-hash or its v2 info-hash truncated.</summary>
    public Torrent? Find(ReadOnlySpan<byte> hash20)
    {
        lock (_sync)
        {
            foreach (var t in _torrents)
                if (t.InfoHashes.Matches20(hash20)) return t;
        }
        return null;
    }

    private Torrent? FindLocked(InfoHashes hashes)
    {
        foreach (var t in _torrents)
        {
            if (hashes.V1 is { } v1 && t.InfoHashes.Matches20(v1)) return t;
            if (hashes.TruncatedV2 is { } v2 && t.InfoHashes.Matches20(v2)) return t;
        }
        return null;
    }

    /// <summary>
    /// Removes a torrent. With <paramref name="deleteFiles"/> its files (and the directories it
    /// created, once empty) are deleted on the disk worker. A torrentRemoved alert follows.
    /// </summary>
    public void Remove(Torrent torrent, bool deleteFiles)
    {
        lock (torrent.Sync)
        {
            if (torrent.Removed) return;
            torrent.Removed = true;            // first, so no swarm tick recreates its swarm
            torrent.CheckCancel?.Cancel();
        }
        var storage = Swarm.OnTorrentRemoved(torrent); // peers closed now; no disk work here
        lock (_sync)
        {
            _torrents.Remove(torrent);
            _queue.Remove(torrent);
        }
        _disk.Post(() =>
        {
            TorrentSwarm.CloseStorage(storage); // files flushed and closed before any deletion
            if (deleteFiles) TorrentFileDeleter.Delete(torrent);
            Alerts.Post(new TorrentRemovedAlert(torrent, torrent.InfoHashes));
        });
        ScheduleQueueUpdate();
    }

    internal void EnqueueCheck(Torrent torrent)
    {
        var token = _shutdown.Token;
        _disk.Post(() => torrent.RunCheck(Environment.ProcessorCount, token));
    }

    /// <summary>Joins the engine loop and the disk worker; cancels running checks first.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _shutdown.Cancel();
        _loop.Complete();
        _loop.Join();
        Lsd.Dispose();
        Trackers.Dispose();   // 'stopped' to the trackers, bounded by stop_tracker_timeout
        StopListening();
        DisposeDht();
        Swarm.Dispose();
        _disk.Complete();
        _disk.Join();
        _shutdown.Dispose();
    }
}
