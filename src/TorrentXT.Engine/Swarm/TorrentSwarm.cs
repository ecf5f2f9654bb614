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
/// choking (unchoke every interested peer up to <c>unchoke_slots_limit</c>), the request pipeline
/// (<see cref="BlockTracker"/>), block writes and piece checks through the session's
/// <see cref="DiskIoQueue"/>, serving requests, BEP 9 metadata in both directions, and the counters
/// shown in the torrent's status. Everything mutable is guarded by <see cref="_sync"/>; lock order:
/// this lock, then the torrent's, then the session's. Sends only append to a buffer; no socket or
/// disk I/O happens under the lock.
/// </summary>
internal sealed partial class TorrentSwarm
{
    private const int RequestPipeline = 128;       // blocks in flight per peer (2 MiB)
    private const int MaxServing = 512;            // reads in flight per peer
    private const int MaxPendingSendBytes = 8 << 20;
    private const long RetryMs = 10_000;
    private const long RequestTimeoutMs = 20_000;  // a peer that sends nothing for this long loses its requests
    private const long KeepAliveMs = 60_000;
    private const int MaxHashFailures = 3;         // then the peer is disconnected and not reconnected (banned)
    private long _lastKeepAlive = Environment.TickCount64;

    private readonly object _sync = new();
    private readonly SwarmHost _host;
    private readonly List<PeerConnection> _peers = new();
    private readonly Dictionary<IPEndPoint, long> _lastAttempt = new();
    private readonly HashSet<IPEndPoint> _connecting = new();
    private readonly HashSet<IPEndPoint> _banned = new();
    // Endpoints learned from PEX and from incoming peers' listen ports, besides the magnet's x.pe.
    private readonly HashSet<IPEndPoint> _learned = new();
    private const int MaxLearnedPeers = 1000;
    // Peers that sent blocks of each piece in progress: they share the blame when it fails its check.
    private readonly Dictionary<int, List<PeerConnection>> _contributors = new();
    private TorrentStorage? _storage;
    private BlockTracker? _tracker;
    private MetadataAssembler? _assembler;
    private long _closedDown, _closedUp;
    private readonly RateMeter _down = new(), _up = new();
    private bool _shutdown;

    public Torrent Torrent { get; }

    public TorrentSwarm(SwarmHost host, Torrent torrent)
    {
        _host = host;
        Torrent = torrent;
    }

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
            _peers.Add(p);
            return true;
        }
    }

    public void OnClosed(PeerConnection p)
    {
        lock (_sync)
        {
            if (!_peers.Remove(p)) return;
            _host.ReleaseConnection();
            foreach (var (piece, block) in p.Requests) _tracker?.Release(piece, block);
            p.Requests.Clear();
            _closedDown += p.Down.Total;
            _closedUp += p.Up.Total;
        }
    }

    /// <summary>Our first messages: the extension handshake, then what we have.</summary>
    public void OnConnected(PeerConnection p)
    {
        if (p.SupportsExtensions)
        {
            var hs = new ExtensionHandshake { ClientName = SwarmHost.ClientName, RequestQueue = 2000 };
            hs.Messages[UtMetadata.ExtensionName] = PeerConnection.OurUtMetadataId;
            hs.Messages["ut_pex"] = PeerConnection.OurUtPexId;
            if (Torrent.Info is { } info) hs.MetadataSize = info.InfoBytes.Length;
            int port = Torrent.Session.ListenPort;
            if (port > 0) hs.ListenPort = port;
            p.SendExtended(0, hs.Encode());
        }
        lock (_sync)
        {
            if (_tracker is null) { if (p.SupportsFast) p.SendIdOnly(MessageKind.HaveNone); }
            else SendHaveSetLocked(p);
        }
    }

    private void SendHaveSetLocked(PeerConnection p)
    {
        var bits = Torrent.PieceBitfield();
        if (bits is null || Array.TrueForAll(bits, b => b == 0))
        {
            if (p.SupportsFast) p.SendIdOnly(MessageKind.HaveNone);
        }
        else if (p.SupportsFast && AllSet(bits, _tracker!.NumPieces)) p.SendIdOnly(MessageKind.HaveAll);
        else p.SendBitfield(bits);
    }

    private static bool AllSet(byte[] bits, int count)
    {
        for (int i = 0; i < count; i++)
            if ((bits[i >> 3] & (0x80 >> (i & 7))) == 0) return false;
        return true;
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
            _tracker = null;
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
        if (!Active)
        {
            PeerConnection[] peers;
            lock (_sync) peers = _peers.ToArray();
            foreach (var p in peers) p.Close();
            UpdateWebSeeds();
            PublishStats(now);
            return;
        }
        EnsureStorage();
        UpdateWebSeeds();
        ConnectToKnownPeers(now);
        lock (_sync)
        {
            if (_tracker is not null)
            {
                var prio = Torrent.PiecePriorities();
                if (prio.Length == _tracker.NumPieces) _tracker.SetPriorities(prio);
            }
            int slots = Settings.GetInt(SettingIds.UnchokeSlotsLimit);
            if (slots < 0) slots = int.MaxValue;
            slots = Math.Min(slots, Torrent.MaxUploads);
            int unchoked = _peers.Count(q => !q.AmChoking);
            bool keepAlive = now - _lastKeepAlive >= KeepAliveMs;
            if (keepAlive) _lastKeepAlive = now;
            foreach (var p in _peers)
            {
                if (keepAlive) p.SendKeepAlive();
                if (p.Requests.Count == 0) p.LastBlockTicks = now;
                else if (now - p.LastBlockTicks > RequestTimeoutMs)
                {
                    // Snubbed: give its blocks to other peers (it may still send them; they are accepted).
                    foreach (var (piece, block) in p.Requests) _tracker?.Release(piece, block);
                    p.Requests.Clear();
                    p.LastBlockTicks = now;
                    continue;
                }
                if (p.PeerInterested && p.AmChoking && unchoked < slots && _tracker is not null)
                {
                    p.AmChoking = false;
                    p.SendIdOnly(MessageKind.Unchoke);
                    unchoked++;
                }
                UpdateInterestLocked(p);
                FillRequestsLocked(p);
            }
        }
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

    /// <summary>Once the torrent is checked: opens its storage and starts the block bookkeeping.</summary>
    private void EnsureStorage()
    {
        if (_tracker is not null || !Torrent.IsReadyForPeers) return;
        var info = Torrent.Info!;
        var bits = Torrent.PieceBitfield();
        if (bits is null) return;
        var storage = new TorrentStorage(info, Torrent.SavePath, _host.FilePool, Torrent.FilePriorities());
        var tracker = new BlockTracker(info.Files, bits, Torrent.PiecePriorities());
        // Zero-length files have no piece that would create them (libtorrent creates them up front too).
        try { storage.CreateEmptyFiles(); }
        catch (StorageException e) { Torrent.Post(new Alerts.FileErrorAlert(Torrent, e.HResult & 0xFFFF, e.Message)); }
        lock (_sync)
        {
            if (_shutdown) { storage.Dispose(); return; }
            _storage = storage;
            _tracker = tracker;
            foreach (var p in _peers)
            {
                p.PeerHave = new Bitfield(tracker.NumPieces);
                if (p.PeerBitfieldRaw is { } raw)
                    for (int i = 0; i < tracker.NumPieces && (i >> 3) < raw.Length; i++)
                        if ((raw[i >> 3] & (0x80 >> (i & 7))) != 0) p.PeerHave.Set(i, true);
                foreach (int i in p.EarlyHaves)
                    if ((uint)i < (uint)tracker.NumPieces) p.PeerHave.Set(i, true);
                p.EarlyHaves.Clear();
                for (int i = 0; i < tracker.NumPieces; i++)
                    if (tracker.Have(i)) p.SendHave(i);
            }
        }
    }

    private void ConnectToKnownPeers(long now)
    {
        var candidates = new List<IPEndPoint>();
        int limit = ConnectionLimit;
        lock (_sync)
        {
            int room = limit - _peers.Count - _connecting.Count;
            foreach (var ep in Torrent.InitialPeers.Concat(_learned))
            {
                if (room <= 0) break;
                if (_connecting.Contains(ep) || _banned.Contains(ep) || _peers.Any(p => p.Remote.Equals(ep) || ep.Equals(p.ListenEndpoint))) continue;
                if (_lastAttempt.TryGetValue(ep, out long at) && now - at < RetryMs) continue;
                if (Blocked(ep.Address)) continue;
                _lastAttempt[ep] = now;
                _connecting.Add(ep);
                candidates.Add(ep);
                room--;
            }
        }
        foreach (var ep in candidates) _host.Connect(this, ep);
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

    /// <summary>A peer's endpoint learned from PEX or an extension handshake; dialled by the tick.</summary>
    public void Learn(IPEndPoint ep)
    {
        if (ep.Port == 0) return;
        lock (_sync)
        {
            if (_learned.Count < MaxLearnedPeers && !Torrent.InitialPeers.Contains(ep)) _learned.Add(ep);
        }
    }

    public void OnConnectFinished(IPEndPoint ep)
    {
        lock (_sync) _connecting.Remove(ep);
    }
}
