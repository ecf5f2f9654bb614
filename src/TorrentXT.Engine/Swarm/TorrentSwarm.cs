// SPDX-License-Identifier: MIT
using System.Buffers;
using System.Net;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// The peers of one torrent and what flows between them: connecting to known endpoints, interest,
/// choking, the request pipeline (<see cref="Picking.PiecePicker"/>, one partial file per concern),
/// block writes and piece checks through the session's
/// <see cref="DiskIoQueue"/>, serving requests, BEP 9 metadata in both directions, and the counters
/// shown in the torrent's status. Everything mutable is guarded by <see cref="_sync"/>; lock order:
/// this lock, then the torrent's, then the session's. Sends only append to a buffer; no socket or
/// disk I/O happens under the lock.
/// </summary>
internal sealed partial class TorrentSwarm
{
    private const int MaxServing = 512;            // reads in flight per peer
    // Upload bytes queued per peer beyond what the socket took; the kernel's send buffer holds more.
    // Bounded so a peer costs at most two buffers of about this size, however slowly it reads.
    private const int MaxPendingSendBytes = 1 << 20;
    private const long ResizeMs = 1_000;           // request pipelines follow the peers' rates this often
    private long _lastResize;
    private const long KeepAliveMs = 60_000;
    private long _lastKeepAlive = Environment.TickCount64;

    private readonly object _sync = new();
    private readonly SwarmHost _host;
    private readonly List<PeerConnection> _peers = new();
    private readonly HashSet<IPEndPoint> _banned = new();
    // Every endpoint we may dial: the magnet's x.pe and resume data's peers, trackers, DHT, LSD,
    // PEX and incoming peers' listen ports, with their states and failure counts.
    private readonly PeerList _peerList = new();
    private bool _wasActive;
    private TorrentStorage? _storage;
    private MetadataAssembler? _assembler;
    private long _closedDown, _closedUp;
    private readonly RateMeter _down = new(), _up = new();
    private bool _shutdown;

    public Torrent Torrent { get; }

    public TorrentSwarm(SwarmHost host, Torrent torrent)
    {
        _host = host;
        Torrent = torrent;
        // libtorrent files add_torrent_params peers (our magnet x.pe and resume peers) as resume data.
        foreach (var ep in torrent.InitialPeers) _peerList.Add(ep, PeerSource.ResumeData, int.MaxValue);
        _downBucket = host.Bandwidth.CreateChannel();
        _upBucket = host.Bandwidth.CreateChannel();
        DownChain = host.Bandwidth.CreateChain(host.SessionDown, _downBucket);
        UpChain = host.Bandwidth.CreateChain(host.SessionUp, _upBucket);
    }

    // Rate limits: every socket read and write of this torrent's peers draws from these chains
    // (session bucket + torrent bucket), updated from the settings and the torrent on each tick.
    private readonly Net.RateLimiting.BandwidthChannel _downBucket, _upBucket;
    public Net.RateLimiting.BandwidthChain DownChain { get; }
    public Net.RateLimiting.BandwidthChain UpChain { get; }

    private SettingsPack Settings => Torrent.Session.Settings;

    // ---- connections --------------------------------------------------------------------------

    private bool Blocked(IPAddress address) =>
        (Torrent.Flags & TorrentFlags.ApplyIpFilter) != 0 && Torrent.Session.IpFilter.IsBlocked(address);

    private bool Active => !_shutdown && !Torrent.IsPaused && !Torrent.Session.IsPaused;

    private int ConnectionLimit
    {
        get
        {
            int session = Settings.GetInt(SettingIds.ConnectionsLimit);
            return Math.Min(Torrent.MaxConnections, session <= 0 ? int.MaxValue : session);
        }
    }

    /// <summary>After the handshake: admits the connection unless paused, filtered or over the limit.</summary>
    public bool Attach(PeerConnection p)
    {
        if (!Active || Blocked(p.Remote.Address)) return false;
        int limit = ConnectionLimit;
        lock (_sync)
        {
            if (_shutdown || _peers.Count >= limit || _banned.Contains(p.Remote)) return false;
            if (!_host.TryReserveConnection()) return false;
            p.Sizer = new Picking.RequestQueueSizer(Picking.RequestQueueSettings.FromSettings(Settings));
            _peers.Add(p);
            return true;
        }
    }

    public void OnClosed(PeerConnection p)
    {
        lock (_sync)
        {
            if (!_peers.Remove(p)) return;
            if (p.Incoming && p.ListenEndpoint is { } listen) _peerList.OnIncomingClosed(listen, Environment.TickCount64);
            _host.ReleaseConnection();
            // The picker takes back its availability and its outstanding requests.
            _picker?.OnPeerGone(p);
            p.Requests.Clear();
            ForgetChokingLocked(p);
            _superSeeder?.Remove(p);
            _closedDown += p.Down.Total;
            _closedUp += p.Up.Total;
        }
    }

    /// <summary>Our first messages: the extension handshake, then what we have.</summary>
    public void OnConnected(PeerConnection p)
    {
        lock (_sync)
        {
            p.ConnectedTicks = Environment.TickCount64;
            OnDialConnectedLocked(p);
            if (p.SupportsExtensions) p.SendExtended(0, ExtensionHandshakeLocked());
            if (_picker is null) { if (p.SupportsFast) p.SendIdOnly(MessageKind.HaveNone); }
            else SendHaveSetLocked(p);
        }
    }

    private void SendHaveSetLocked(PeerConnection p)
    {
        var picker = _picker!;
        if (SendSuperSeedHaveSetLocked(p)) return; // BEP 16: TorrentSwarm.SuperSeed.cs
        if (picker.HaveCount == 0)
        {
            if (p.SupportsFast) p.SendIdOnly(MessageKind.HaveNone);
        }
        else if (p.SupportsFast && picker.IsSeed) p.SendIdOnly(MessageKind.HaveAll);
        else p.SendBitfield(picker.HaveBits.ToArray());
        SendAllowedFastSetLocked(p);
    }

    /// <summary>Closes every connection and the storage (torrent removed, or the session ends).</summary>
    public void Shutdown() => CloseStorage(Detach());

    /// <summary>
    /// Stops the swarm without touching the disk: marks it shut down, closes its peers and hands
    /// back its storage, which the caller closes with <see cref="CloseStorage"/> where disk work belongs.
    /// </summary>
    public TorrentStorage? Detach()
    {
        PeerConnection[] peers;
        TorrentStorage? storage;
        lock (_sync)
        {
            _shutdown = true;
            peers = _peers.ToArray();
            storage = _storage;
            _storage = null;
            _picker = null;
        }
        StopWebSeeds();
        foreach (var p in peers) p.Close();
        return storage;
    }

    /// <summary>Flushes (fsync) and closes a detached storage; disk work, so never on an ABI caller's thread.</summary>
    public static void CloseStorage(TorrentStorage? storage)
    {
        if (storage is null) return;
        try { storage.Flush(); } catch (StorageException) { }
        storage.Dispose();
    }

    // ---- the periodic tick (session's swarm thread) -------------------------------------------

    public void Tick(long now)
    {
        if (_shutdown) return;
        bool active = Active;
        lock (_sync) NoteActivityLocked(active);
        if (!active)
        {
            PeerConnection[] peers;
            lock (_sync) peers = _peers.ToArray();
            foreach (var p in peers) p.Close();
            UpdateWebSeeds();
            PublishStats(now);
            return;
        }
        SwarmHost.ApplyLimit(_downBucket, Torrent.DownloadLimit);
        SwarmHost.ApplyLimit(_upBucket, Torrent.UploadLimit);
        EnsureStorage();
        UpdateWebSeeds();
        ConnectToKnownPeers(now);
        var redundant = new List<PeerConnection>();
        lock (_sync)
        {
            SyncWantedLocked();
            SyncSuperSeedingLocked();
            bool keepAlive = now - _lastKeepAlive >= KeepAliveMs;
            if (keepAlive)
            {
                _lastKeepAlive = now;
                foreach (var p in _peers) p.SendKeepAlive();
            }
            bool resize = now - _lastResize >= ResizeMs;
            if (resize) _lastResize = now;
            CheckRequestsLocked(now, resize);
            SendPexLocked(now);
            OnFinishedStateLocked(redundant);
            TickHashesLocked(now); // BEP 52 piece layers for magnets: TorrentSwarm.Hashes.cs
        }
        foreach (var p in redundant) p.Close();
        PublishStats(now);
    }

    private void PublishStats(long now)
    {
        int peers, seeds, connections;
        long downRate = 0, upRate = 0, allDown, allUp;
        lock (_sync)
        {
            connections = _peers.Count;
            seeds = _peers.Count(p => p.IsSeed);
            peers = connections;
            allDown = _closedDown;
            allUp = _closedUp;
            foreach (var p in _peers)
            {
                p.Down.Tick(now);
                p.Up.Tick(now);
                downRate += p.Down.Rate;
                upRate += p.Up.Rate;
                allDown += p.Down.Total;
                allUp += p.Up.Total;
            }
        }
        Torrent.SetSwarmStats(peers, seeds, connections, downRate, upRate, allDown, allUp);
    }

    /// <summary>Once the torrent is checked: opens its storage and starts the piece picker.</summary>
    private void EnsureStorage()
    {
        if (_picker is not null || !Torrent.IsReadyForPeers) return;
        var info = Torrent.Info!;
        var bits = Torrent.PieceBitfield();
        if (bits is null) return;
        var storage = new TorrentStorage(info, Torrent.SavePath, _host.FilePool, Torrent.FilePriorities());
        var picker = NewPicker(info.Files, bits, Settings);
        // Zero-length files have no piece that would create them (libtorrent creates them up front too).
        try { storage.CreateEmptyFiles(); }
        catch (StorageException e) { Torrent.OnStorageError(e); storage.Dispose(); return; } // retried once the error is cleared
        lock (_sync)
        {
            if (_shutdown) { storage.Dispose(); return; }
            _storage = storage;
            _picker = picker;
            // Partial pieces from resume data: their blocks on disk are not requested again; the
            // piece's check reads them back with the new ones (and a failure downloads it whole).
            if (Torrent.TakeResumedUnfinished() is { } unfinished)
                foreach (var (piece, mask) in unfinished) ResumedBlocks += picker.MarkBlocksWritten(piece, mask);
            SyncWantedLocked();
            foreach (var p in _peers)
            {
                CountPeerLocked(p);
                // Peers connected before the metadata (or before our first tick) heard HAVE NONE;
                // tell them what we have now, and which pieces they may fetch while choked.
                for (int i = 0; i < picker.PieceCount; i++)
                    if (picker.HavePiece(i)) p.SendHave(i);
                SendAllowedFastSetLocked(p);
                UpdateInterestLocked(p);
            }
        }
    }

    /// <summary>Between ticks: a swarm without peers or dials under way dials its known peers at once.</summary>
    public void DialIfIdle(long now)
    {
        if (!Active) return;
        EnsureStorage(); // a torrent that just became ready serves its first peers complete
        lock (_sync)
        {
            NoteActivityLocked(active: true);
            if (_peers.Count > 0 || _peerList.Connecting > 0) return;
        }
        ConnectToKnownPeers(now);
    }

    /// <summary>Started or resumed since the last look: the known peers may be dialled at once.</summary>
    private void NoteActivityLocked(bool active)
    {
        if (active && !_wasActive) _peerList.ForgetAttempts();
        _wasActive = active;
    }

    private void ConnectToKnownPeers(long now)
    {
        var candidates = new List<IPEndPoint>();
        int limit = ConnectionLimit;
        long reconnectMs = ReconnectMs;
        lock (_sync)
        {
            int room = limit - _peers.Count - _peerList.Connecting;
            _peerList.TakeCandidates(candidates, room, now, reconnectMs, ep =>
                _banned.Contains(ep) || _redundant.Contains(ep) || Blocked(ep.Address) || ConnectedToLocked(ep));
        }
        foreach (var ep in candidates) _host.Connect(this, ep);
    }

    /// <summary>
    /// The base wait before dialling a peer again: <c>min_reconnect_time</c> when the app set it,
    /// else 10 s -- our own default, not libtorrent's 60 s: on a LAN or loopback swarm a peer that
    /// dropped us (a restart, a hash failure, a pause) is back within seconds, and waiting a minute
    /// stalls the download. Failures still multiply it and <c>max_failcount</c> still drops a peer.
    /// </summary>
    private long ReconnectMs => Settings.IsExplicitlySet(SettingIds.MinReconnectTime)
        ? Math.Max(1, Settings.GetInt(SettingIds.MinReconnectTime)) * 1000L
        : DefaultReconnectMs;

    private const long DefaultReconnectMs = 10_000;

    private bool ConnectedToLocked(IPEndPoint ep)
    {
        foreach (var p in _peers)
            if (p.Remote.Equals(ep) || ep.Equals(p.ListenEndpoint)) return true;
        return false;
    }

    public IReadOnlyList<PeerInfo> PeerList()
    {
        lock (_sync)
        {
            var list = new PeerInfo[_peers.Count];
            for (int i = 0; i < list.Length; i++)
            {
                var p = _peers[i];
                var flags = PeerInfoFlags.None;
                if (p.AmInterested) flags |= PeerInfoFlags.Interesting;
                if (p.AmChoking) flags |= PeerInfoFlags.Choked;
                if (p.PeerInterested) flags |= PeerInfoFlags.RemoteInterested;
                if (p.PeerChoking) flags |= PeerInfoFlags.RemoteChoked;
                if (p.SupportsExtensions) flags |= PeerInfoFlags.SupportsExtensions;
                if (!p.Incoming) flags |= PeerInfoFlags.OutgoingConnection;
                if (p.IsSeed) flags |= PeerInfoFlags.Seed;
                flags |= p.EncryptionFlags;
                float progress = p.PeerHasAll ? 1f : p.PeerHave is { Length: > 0 } h ? (float)h.Count / h.Length : 0f;
                list[i] = new PeerInfo(p.Remote, p.PeerClient ?? p.ClientFromId, p.Down.Rate, p.Up.Rate, progress, flags);
            }
            return list;
        }
    }

    public void CountAvailability(byte[] counts)
    {
        lock (_sync)
        {
            foreach (var p in _peers)
                for (int i = 0; i < counts.Length; i++)
                    if ((p.PeerHasAll || (p.PeerHave is { } h && i < h.Length && h[i])) && counts[i] < 255) counts[i]++;
        }
    }

    /// <summary>A peer's endpoint from a tracker, the DHT, LSD, PEX or an extension handshake; dialled by the tick.</summary>
    public void Learn(IPEndPoint ep, PeerSource source)
    {
        if (ep.Port == 0) return;
        lock (_sync) _peerList.Add(ep, source, Math.Max(1, Settings.GetInt(SettingIds.MaxPeerlistSize)));
    }

    /// <summary>Our dial reached the handshake and the swarm admitted it.</summary>
    private void OnDialConnectedLocked(PeerConnection p)
    {
        if (!p.Incoming) _peerList.OnDialConnected(p.Remote);
    }

    /// <summary>Our dial ended: refused, timed out, failed its handshake (a failure) or closed after connecting.</summary>
    public void OnConnectFinished(IPEndPoint ep, bool connected)
    {
        lock (_sync) _peerList.OnDialEnded(ep, connected, Environment.TickCount64, Settings.GetInt(SettingIds.MaxFailcount));
    }

    /// <summary>Endpoints banned for bad data (for tests and diagnostics).</summary>
    internal int BannedCount { get { lock (_sync) return _banned.Count; } }
}
