// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Trackers;

/// <summary>
/// The session's tracker client. A timer (every <see cref="TickMs"/> ms, on the thread pool) starts
/// the announces that are due; every exchange runs asynchronously, so no caller of the ABI ever
/// waits on the network. A torrent that stops (paused, session paused, removed) sends 'stopped' to
/// the trackers that got its 'started'; <see cref="Dispose"/> does the same for every torrent and
/// waits at most <c>stop_tracker_timeout</c> seconds for those answers.
/// </summary>
internal sealed class TrackerHost : IDisposable
{
    public const int TickMs = 250;
    private const int UnknownLeft = 16 * 1024; // libtorrent's 'left' before metadata is known

    private readonly Session _session;
    private readonly Dictionary<Torrent, TorrentAnnouncer> _announcers = new();
    private readonly HashSet<Task> _stops = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly Timer _timer;
    private readonly object _tickLock = new();
    private int _disposed;

    public HttpTrackerClient Http { get; } = new();
    public UdpTrackerClient Udp { get; } = new();
    /// <summary>The announce key: random per session, so trackers can tell us apart across IP changes.</summary>
    public uint Key { get; } = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);

    public TrackerHost(Session session)
    {
        _session = session;
        _timer = new Timer(_ => Tick(), null, TickMs, TickMs);
    }

    private SettingsPack Settings => _session.Settings;

    /// <summary>Runs a tick soon (after a force-reannounce or a state change), off the caller's thread.</summary>
    public void Poke()
    {
        if (Volatile.Read(ref _disposed) == 0) ThreadPool.UnsafeQueueUserWorkItem(_ => Tick(), null);
    }

    private void Tick()
    {
        if (!Monitor.TryEnter(_tickLock)) return; // a tick is running; the next timer tick catches up
        try
        {
            if (Volatile.Read(ref _disposed) != 0) return;
            var torrents = _session.Torrents;
            long now = Environment.TickCount64;
            foreach (var t in torrents) Step(AnnouncerOf(t), now);
            TorrentAnnouncer[] gone;
            lock (_announcers)
                gone = _announcers.Where(kv => !torrents.Contains(kv.Key)).Select(kv => kv.Value).ToArray();
            foreach (var a in gone)
            {
                lock (_announcers) _announcers.Remove(a.Torrent);
                SendStopped(a);
            }
        }
        catch (Exception e) { System.Diagnostics.Debug.WriteLine($"tracker tick: {e}"); }
        finally { Monitor.Exit(_tickLock); }
    }

    private TorrentAnnouncer AnnouncerOf(Torrent t)
    {
        lock (_announcers)
        {
            if (!_announcers.TryGetValue(t, out var a)) _announcers[t] = a = new TorrentAnnouncer(t) { CompletionsSeen = t.DownloadsCompleted };
            return a;
        }
    }

    /// <summary>Whether a torrent should be announcing: started, not paused, checked (or a magnet).</summary>
    private bool ShouldRun(Torrent t) =>
        !t.Removed && !t.IsPaused && !_session.IsPaused && (t.IsReadyForPeers || !t.HasMetadata);

    private void Step(TorrentAnnouncer a, long now)
    {
        var t = a.Torrent;
        bool run = ShouldRun(t);
        var state = t.State;
        List<AnnounceTracker> due;
        lock (a.Sync)
        {
            a.SyncTrackers(t.Trackers());
            if (!run)
            {
                if (a.Running) { a.Running = false; StopLocked(a); }
                return;
            }
            a.Running = true;
            int completions = t.DownloadsCompleted;
            if (completions != a.CompletionsSeen)
            {
                a.CompletionsSeen = completions;
                a.MarkCompleted(now);
            }
            due = a.Due(now, Settings.GetBool(SettingIds.AnnounceToAllTiers), Settings.GetBool(SettingIds.AnnounceToAllTrackers));
            foreach (var tr in due) tr.Updating = true;
        }
        foreach (var tr in due) _ = AnnounceAsync(a, tr, EventFor(a, tr), stopping: false);
    }

    private static TrackerEvent EventFor(TorrentAnnouncer a, AnnounceTracker tr)
    {
        lock (a.Sync)
        {
            if (!tr.StartSent) return TrackerEvent.Started;
            return tr.CompletedPending ? TrackerEvent.Completed : TrackerEvent.None;
        }
    }

    /// <summary>'stopped' to every tracker owed one; call under the announcer's lock.</summary>
    private void StopLocked(TorrentAnnouncer a)
    {
        foreach (var tr in a.Trackers)
        {
            if (!tr.StartSent) continue;
            tr.StartSent = false;
            tr.NextMs = 0; // a resumed torrent announces 'started' again at once
            LaunchStop(a, tr);
        }
    }

    private void LaunchStop(TorrentAnnouncer a, AnnounceTracker tr)
    {
        var task = AnnounceAsync(a, tr, TrackerEvent.Stopped, stopping: true);
        lock (_stops) _stops.Add(task);
        task.ContinueWith(done => { lock (_stops) _stops.Remove(done); }, TaskScheduler.Default);
    }

    private void SendStopped(TorrentAnnouncer a)
    {
        lock (a.Sync)
        {
            a.Running = false;
            StopLocked(a);
        }
    }

    private AnnounceRequest BuildRequest(Torrent t, AnnounceTracker tr, TrackerEvent ev)
    {
        var st = t.GetStatus();
        byte[] hash = t.InfoHashes.V1 ?? t.InfoHashes.TruncatedV2!;
        return new AnnounceRequest
        {
            InfoHash = hash,
            PeerId = _session.Swarm.PeerId,
            Port = _session.ListenPort,
            Uploaded = st.AllTimeUpload,
            Downloaded = st.AllTimeDownload,
            Left = st.HasMetadata ? Math.Max(0, st.TotalSize - st.TotalDone) : UnknownLeft,
            Event = ev,
            Key = Key,
            NumWant = ev == TrackerEvent.Stopped ? 0 : Math.Max(0, Settings.GetInt(SettingIds.NumWant)),
            TrackerId = tr.TrackerId,
        };
    }

    private async Task AnnounceAsync(TorrentAnnouncer a, AnnounceTracker tr, TrackerEvent ev, bool stopping)
    {
        await Task.Yield(); // callers hold the announcer's lock; the exchange starts on the thread pool
        var t = a.Torrent;
        AnnounceResult? result = null;
        TrackerFailure? failure = null;
        try
        {
            var request = BuildRequest(t, tr, ev);
            var limits = TrackerLimits.FromSettings(Settings, stopping);
            if (tr.IsUdp) result = await Udp.AnnounceAsync(tr.Url, request, limits, _cts.Token).ConfigureAwait(false);
            else if (tr.IsHttp) result = await Http.AnnounceAsync(tr.Url, request, limits, _cts.Token).ConfigureAwait(false);
            else throw new TrackerFailure(TrackerFailure.NotSupported, "unsupported URL protocol (trackers are http://, https:// or udp://)");
        }
        catch (TrackerFailure f) { failure = f; }
        catch (OperationCanceledException) { failure = new TrackerFailure(TrackerFailure.TimedOut, "the session is shutting down"); }
        catch (Exception e) { failure = new TrackerFailure(TrackerFailure.InvalidResponse, e.Message); }
        if (stopping) return; // a stop's answer changes nothing, and no alert follows it (libtorrent's too)
        long now = Environment.TickCount64;
        if (result is not null) OnReply(a, tr, ev, result, now);
        else OnFailure(a, tr, failure!, now);
    }

    private void OnReply(TorrentAnnouncer a, AnnounceTracker tr, TrackerEvent ev, AnnounceResult r, long now)
    {
        var t = a.Torrent;
        int minAnnounce = Math.Max(0, Settings.GetInt(SettingIds.MinAnnounceInterval));
        lock (a.Sync)
        {
            tr.Updating = false;
            tr.Fails = 0;
            tr.LastAnnounceMs = now;
            tr.MinIntervalMs = r.MinInterval * 1000;
            tr.NextMs = now + Math.Max(r.Interval, Math.Max(r.MinInterval, minAnnounce)) * 1000L;
            if (r.TrackerId is { Length: > 0 } id) tr.TrackerId = id;
            if (a.Running) tr.StartSent = true;
            // The torrent stopped while this announce was in flight: the tracker now counts us, so it
            // gets the 'stopped' that the stop itself could not send yet.
            else if (Volatile.Read(ref _disposed) == 0) LaunchStop(a, tr);
            if (ev == TrackerEvent.Completed) tr.CompletedPending = false;
            a.Promote(tr);
        }
        t.OnTrackerAnswered(tr.Url, r.Complete, r.Incomplete);
        if (r.Peers.Count > 0 && !t.Removed) t.AddPeers(r.Peers, PeerSource.Tracker);
        _session.Alerts.Post(new TrackerReplyAlert(t, tr.Url, r.Peers.Count));
    }

    private void OnFailure(TorrentAnnouncer a, AnnounceTracker tr, TrackerFailure f, long now)
    {
        int fails;
        lock (a.Sync)
        {
            tr.Updating = false;
            fails = ++tr.Fails;
            tr.NextMs = now + AnnounceTracker.RetryDelayMs(fails, Settings.GetInt(SettingIds.TrackerBackoff), f.RetryIn);
        }
        _session.Alerts.Post(new TrackerErrorAlert(a.Torrent, tr.Url, f.Code, f.Message, fails));
        Poke(); // the next tracker of the tier may take over now
    }

    /// <summary>btx_force_reannounce: every tracker announces now (or once its minimum interval allows).</summary>
    public void ForceReannounce(Torrent t)
    {
        var a = AnnouncerOf(t);
        lock (a.Sync)
        {
            a.SyncTrackers(t.Trackers());
            a.ForceAll(Environment.TickCount64);
        }
        Poke();
    }

    /// <summary>Scrapes every tracker of the torrent (decision D5); answers come as scrapeReply or trackerError.</summary>
    public void Scrape(Torrent t)
    {
        byte[] hash = t.InfoHashes.V1 ?? t.InfoHashes.TruncatedV2!;
        foreach (var entry in t.Trackers())
            _ = ScrapeAsync(t, entry.Url, hash);
    }

    private async Task ScrapeAsync(Torrent t, string url, byte[] hash)
    {
        try
        {
            var limits = TrackerLimits.FromSettings(Settings);
            ScrapeResult r;
            if (url.StartsWith("udp://", StringComparison.OrdinalIgnoreCase)) r = await Udp.ScrapeAsync(url, hash, limits, _cts.Token).ConfigureAwait(false);
            else if (url.StartsWith("http", StringComparison.OrdinalIgnoreCase)) r = await Http.ScrapeAsync(url, hash, limits, _cts.Token).ConfigureAwait(false);
            else throw new TrackerFailure(TrackerFailure.NotSupported, "unsupported URL protocol (trackers are http://, https:// or udp://)");
            t.OnTrackerAnswered(url, r.Complete, r.Incomplete);
            var local = _session.ListenEndpoints.FirstOrDefault();
            _session.Alerts.Post(new ScrapeReplyAlert(t, url, r.Complete, r.Incomplete, local is null ? "" : Net.Endpoints.Format(local)));
        }
        catch (TrackerFailure f) { _session.Alerts.Post(new TrackerErrorAlert(t, url, f.Code, f.Message, 1)); }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { } // the session is ending
    }

    /// <summary>Stops announcing: 'stopped' goes to every started tracker, waited for at most stop_tracker_timeout.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        using (var stopped = new ManualResetEvent(false))
        {
            _timer.Dispose(stopped);
            stopped.WaitOne(TimeSpan.FromSeconds(2));
        }
        lock (_tickLock)
        {
            TorrentAnnouncer[] all;
            lock (_announcers) { all = _announcers.Values.ToArray(); _announcers.Clear(); }
            foreach (var a in all) SendStopped(a);
        }
        Task[] pending;
        lock (_stops) pending = _stops.ToArray();
        var wait = TimeSpan.FromSeconds(Math.Max(1, Settings.GetInt(SettingIds.StopTrackerTimeout))) + TimeSpan.FromMilliseconds(500);
        try { Task.WaitAll(pending, wait); }
        catch (AggregateException) { }
        _cts.Cancel();
        Http.Dispose();
        Udp.Dispose();
        _cts.Dispose();
    }
}
