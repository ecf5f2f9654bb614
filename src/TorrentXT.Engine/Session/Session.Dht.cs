// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Dht;
using TorrentXT.Engine.Net;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine;

/// <summary>
/// The session's DHT: one node per listen socket, on UDP at the same address and port, running on
/// one dispatcher thread. Opened and closed on the engine loop as enable_dht and listen_interfaces
/// change; the other dht_* settings apply live through <see cref="DhtConfig"/>. Torrents that are
/// not private, not paused and not flagged disable_dht announce every dht_announce_interval and
/// feed what they find to <see cref="Torrent.AddPeers"/>.
/// </summary>
public sealed partial class Session
{
    private readonly DhtConfig _dhtConfig = new();
    private readonly List<DhtNode> _dhtNodes = new();          // guarded by itself
    private readonly List<IPEndPoint> _dhtExtraNodes = new();   // add_bootstrap and loaded state, guarded by _dhtNodes
    private readonly Dictionary<IPAddress, byte[]> _dhtSavedIds = new(); // from load_state, guarded by _dhtNodes
    private readonly Dictionary<Torrent, long> _dhtNextAnnounce = new();  // engine timer only
    private DhtDispatcher? _dhtDispatcher;
    private Timer? _dhtTimer;
    private int _dhtTimerBusy;

    /// <summary>The running DHT nodes (empty when the DHT is off).</summary>
    public IReadOnlyList<DhtNode> DhtNodes { get { lock (_dhtNodes) return _dhtNodes.ToArray(); } }

    private void StartDht()
    {
        _dhtConfig.Update(Settings);
        Settings.Changed += d =>
        {
            _dhtConfig.Update(Settings);
            if (d.Id == SettingIds.EnableDht) _loop.Post(ApplyDht);
        };
        _dhtTimer = new Timer(_ => DhtAnnounceTick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Engine loop: opens one node per listen socket when enable_dht is on, closes them all when off.</summary>
    private void ApplyDht()
    {
        if (_shutdown.IsCancellationRequested) return;
        bool wanted = Settings.GetBool(SettingIds.EnableDht);
        var endpoints = wanted ? ListenEndpoints : [];
        lock (_dhtNodes)
        {
            bool same = _dhtNodes.Count == endpoints.Count && _dhtNodes.Zip(endpoints).All(p => p.First.LocalEndPoint.Equals(p.Second));
            if (same) return;
        }
        StopDht();
        if (endpoints.Count == 0) return;
        _dhtDispatcher = new DhtDispatcher();
        var started = new List<DhtNode>();
        foreach (var ep in endpoints)
        {
            byte[]? id;
            lock (_dhtNodes) id = _dhtSavedIds.GetValueOrDefault(ep.Address);
            try { started.Add(DhtNode.Start(ep, _dhtDispatcher, _dhtConfig, id)); started[^1].Blocked = IpFilter.IsBlocked; }
            catch (SocketException) { /* the UDP port is taken: this socket has no DHT */ }
        }
        lock (_dhtNodes) _dhtNodes.AddRange(started);
        foreach (var node in started) _ = BootstrapAsync(node);
    }

    private void StopDht()
    {
        DhtNode[] old;
        lock (_dhtNodes) { old = _dhtNodes.ToArray(); _dhtNodes.Clear(); }
        foreach (var n in old) n.Dispose();
        _dhtDispatcher?.Dispose();
        _dhtDispatcher = null;
        lock (_dhtNextAnnounce) _dhtNextAnnounce.Clear();
    }

    /// <summary>Resolves dht_bootstrap_nodes (bounded), adds saved and added nodes, and joins; posts dhtBootstrap when done.</summary>
    private async Task BootstrapAsync(DhtNode node)
    {
        var routers = new List<IPEndPoint>();
        lock (_dhtNodes) routers.AddRange(_dhtExtraNodes);
        foreach (var (host, port) in ParseHostPorts(Settings.GetString(SettingIds.DhtBootstrapNodes)))
            routers.AddRange(await ResolveAsync(host, port, node.Family).ConfigureAwait(false));
        node.Bootstrap(routers, _ => Alerts.Post(new DhtBootstrapAlert()));
    }

    private static async Task<List<IPEndPoint>> ResolveAsync(string host, int port, AddressFamily family)
    {
        if (IPAddress.TryParse(host, out var literal))
            return Compact.Family(new IPEndPoint(literal, port)) == family ? [new IPEndPoint(literal, port)] : [];
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var addresses = await Dns.GetHostAddressesAsync(host, family, cts.Token).ConfigureAwait(false);
            return addresses.Select(a => new IPEndPoint(a, port)).ToList();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ArgumentException) { return []; }
    }

    /// <summary>libtorrent's "host:port,host:port" (IPv6 literals in brackets).</summary>
    private static IEnumerable<(string Host, int Port)> ParseHostPorts(string list)
    {
        foreach (var raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = raw.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(raw.AsSpan(colon + 1), out int port) || port is <= 0 or > 65535) continue;
            yield return (raw[..colon].Trim('[', ']'), port);
        }
    }

    /// <summary>btx_dht_add_bootstrap: resolves the host in the background and joins through it.</summary>
    public void DhtAddBootstrap(string host, int port)
    {
        _ = Task.Run(async () =>
        {
            foreach (var node in DhtNodes)
                foreach (var ep in await ResolveAsync(host, port, node.Family).ConfigureAwait(false))
                {
                    lock (_dhtNodes) if (_dhtExtraNodes.Count < 256 && !_dhtExtraNodes.Contains(ep)) _dhtExtraNodes.Add(ep);
                    JoinThrough(node, ep);
                }
        });
    }

    /// <summary>A node with a thin table bootstraps through a new address; otherwise a ping is enough.</summary>
    private static void JoinThrough(DhtNode node, IPEndPoint ep)
    {
        if (node.NodeCount < RoutingTable.K) node.Bootstrap([ep]);
        else node.AddNode(ep);
    }

    /// <summary>btx_dht_announce: get_peers and announce_peer on every node (port 0: implied port).</summary>
    public void DhtAnnounce(byte[] infoHash, int port)
    {
        foreach (var node in DhtNodes)
            node.GetPeers(infoHash, peers => Find(infoHash)?.AddPeers(peers, PeerSource.Dht), null, port);
    }

    /// <summary>Counters for statistics: routing-table nodes, replacement cache, torrents stored.</summary>
    private (int Nodes, int Cache, int Torrents, long Global) DhtCounters()
    {
        int nodes = 0, cache = 0, torrents = 0;
        long global = 0;
        foreach (var n in DhtNodes)
        {
            nodes += n.NodeCount; cache += n.NodeCacheCount; torrents += n.TorrentCount;
            // IPv4 and IPv6 nodes see overlapping networks: the larger estimate, not the sum.
            global = Math.Max(global, n.GlobalNodeEstimate);
        }
        return (nodes, cache, torrents, global);
    }

    /// <summary>btx_force_reannounce (contract D5): the torrent's next DHT announce is due now.</summary>
    internal void DhtAnnounceSoon(Torrent t)
    {
        lock (_dhtNextAnnounce) if (_dhtNextAnnounce.ContainsKey(t)) _dhtNextAnnounce[t] = 0;
    }

    /// <summary>Once a second: due torrents announce (not private, not paused, no disable_dht).</summary>
    private void DhtAnnounceTick()
    {
        if (Interlocked.Exchange(ref _dhtTimerBusy, 1) == 1) return;
        try
        {
            var nodes = DhtNodes;
            if (nodes.Count == 0 || nodes.All(n => n.NodeCount == 0) || IsPaused) return;
            long now = DateTime.UtcNow.Ticks;
            long interval = TimeSpan.FromSeconds(Math.Max(10, Settings.GetInt(SettingIds.DhtAnnounceInterval))).Ticks;
            var torrents = Torrents;
            lock (_dhtNextAnnounce)
            {
                foreach (var gone in _dhtNextAnnounce.Keys.Where(t => !torrents.Contains(t)).ToList()) _dhtNextAnnounce.Remove(gone);
                foreach (var t in torrents)
                {
                    if (!DhtAllowed(t)) { _dhtNextAnnounce.Remove(t); continue; }
                    if (_dhtNextAnnounce.TryGetValue(t, out long due) && due > now) continue;
                    _dhtNextAnnounce[t] = now + interval;
                    AnnounceTorrent(t, nodes);
                }
            }
        }
        finally { Volatile.Write(ref _dhtTimerBusy, 0); }
    }

    private static bool DhtAllowed(Torrent t) =>
        !t.Removed && !t.IsPaused && (t.Flags & TorrentFlags.DisableDht) == 0 && t.Info is not { IsPrivate: true };

    private void AnnounceTorrent(Torrent t, IReadOnlyList<DhtNode> nodes)
    {
        int port = ListenPort;
        var hashes = new List<byte[]>();
        if (t.InfoHashes.V1 is { } v1) hashes.Add(v1);
        if (t.InfoHashes.TruncatedV2 is { } v2) hashes.Add(v2);
        foreach (var node in nodes)
            foreach (var hash in hashes)
                node.GetPeers(hash, peers => { if (!t.Removed) t.AddPeers(peers, PeerSource.Dht); }, stats =>
                {
                    // Nobody answered (a thin table right after start): try again soon rather than in 15 minutes.
                    if (stats.Responses == 0)
                        lock (_dhtNextAnnounce) if (_dhtNextAnnounce.ContainsKey(t)) _dhtNextAnnounce[t] = DateTime.UtcNow.Ticks + TimeSpan.FromSeconds(10).Ticks;
                }, announcePort: port);
    }

    private void DisposeDht()
    {
        _dhtTimer?.Dispose();
        StopDht();
    }
}
