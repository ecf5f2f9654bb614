// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// The session's side of the swarm: our peer id, the disk I/O queue and file handles shared by all
/// torrents, one <see cref="TorrentSwarm"/> per torrent, incoming connections, outgoing connects,
/// and a tick thread (every 200 ms) that connects, runs the unchoke rounds, checks request timeouts
/// and publishes rates (requests are topped up as blocks arrive, not by the tick).
/// <see cref="Dispose"/> closes every socket and waits (bounded) for the connection tasks.
/// </summary>
internal sealed partial class SwarmHost : IDisposable
{
    public const string ClientName = "TorrentXT/0.1.0";
    private const int TickMs = 200;

    private readonly Session _session;
    private readonly CancellationTokenSource _cts = new();
    private readonly Dictionary<Torrent, TorrentSwarm> _swarms = new();
    private readonly HashSet<Task> _tasks = new();
    private readonly Thread _ticker;
    private readonly ManualResetEventSlim _stop = new();
    // Set by Wake(): a torrent started, resumed, finished checking or learnt peers. Idle swarms
    // then dial at once instead of on the next tick (a magnet's x.pe peer is dialled within a
    // millisecond or two, its metadata in a few ms), and an idle session sleeps between ticks.
    private readonly AutoResetEvent _wake = new(false);
    private WaitHandle[]? _waitHandles;
    private int _disposed;
    private int _connections;

    /// <summary>Counts a connection against the session-wide <c>connections_limit</c>; false when it is reached.</summary>
    public bool TryReserveConnection()
    {
        int limit = _session.Settings.GetInt(SettingIds.ConnectionsLimit);
        if (limit <= 0) limit = int.MaxValue;
        while (true)
        {
            int n = Volatile.Read(ref _connections);
            if (n >= limit) return false;
            if (Interlocked.CompareExchange(ref _connections, n + 1, n) == n) return true;
        }
    }

    public void ReleaseConnection() => Interlocked.Decrement(ref _connections);

    /// <summary>Peer connections open now, over all torrents.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public byte[] PeerId { get; } = PeerWire.PeerId.Generate();
    public UnchokeScheduler Unchoke { get; }

    /// <summary>Token buckets for socket reads and writes: session → torrent chains (see <see cref="TorrentSwarm.DownChain"/>).</summary>
    public Net.RateLimiting.BandwidthManager Bandwidth { get; } = new();
    public Net.RateLimiting.BandwidthChannel SessionDown { get; }
    public Net.RateLimiting.BandwidthChannel SessionUp { get; }
    public DiskIoQueue Disk { get; }
    public FileHandlePool FilePool { get; }

    public SwarmHost(Session session)
    {
        _session = session;
        Disk = new DiskIoQueue(DiskIoOptions.FromSettings(session.Settings));
        FilePool = FileHandlePool.FromSettings(session.Settings);
        Unchoke = new UnchokeScheduler(session.Settings);
        SessionDown = Bandwidth.CreateChannel();
        SessionUp = Bandwidth.CreateChannel();
        _ticker = new Thread(TickLoop) { Name = "torrentxt-swarm", IsBackground = true };
        _ticker.Start();
    }

    private void TickLoop()
    {
        _waitHandles = [_stop.WaitHandle, _wake];
        long nextTick = Environment.TickCount64 + TickMs;
        while (true)
        {
            int wait = (int)Math.Clamp(nextTick - Environment.TickCount64, 0, TickMs);
            if (WaitHandle.WaitAny(_waitHandles, wait) == 0) return;
            try
            {
                long now = Environment.TickCount64;
                if (now >= nextTick)
                {
                    nextTick = now + TickMs;
                    Tick();
                }
                else DialIdle(now);
            }
            catch (Exception e) { System.Diagnostics.Debug.WriteLine($"swarm tick: {e}"); }
        }
    }

    /// <summary>Something may have given a swarm peers to dial: idle swarms dial now, not on the next tick. Never blocks.</summary>
    public void Wake()
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        try { _wake.Set(); }
        catch (ObjectDisposedException) { } // the session closed meanwhile: nothing left to dial
    }

    /// <summary>Lets swarms with no peers and no dial under way dial their known peers now.</summary>
    private void DialIdle(long now)
    {
        var torrents = _session.Torrents;
        TorrentSwarm?[] swarms = new TorrentSwarm?[torrents.Count];
        lock (_swarms)
            for (int i = 0; i < swarms.Length; i++) swarms[i] = GetOrCreateLocked(torrents[i]);
        foreach (var s in swarms) s?.DialIfIdle(now);
    }

    private void Tick()
    {
        ApplyLimit(SessionDown, _session.Settings.GetInt(SettingIds.DownloadRateLimit));
        ApplyLimit(SessionUp, _session.Settings.GetInt(SettingIds.UploadRateLimit));
        var torrents = _session.Torrents;
        long now = Environment.TickCount64;
        TorrentSwarm[] swarms;
        lock (_swarms)
        {
            foreach (var t in torrents) GetOrCreateLocked(t);  // skips removed ones
            foreach (var gone in _swarms.Keys.Where(t => !torrents.Contains(t)).ToArray())
            {
                var s = _swarms[gone];
                _swarms.Remove(gone);
                Track(Task.Run(s.Shutdown));
            }
            swarms = _swarms.Values.ToArray();
            _tasks.RemoveWhere(task => task.IsCompleted);
        }
        foreach (var s in swarms) s.Tick(now);
        Unchoke.MaybeRun(swarms, now);
    }

    /// <summary>Sets a bucket's limit when it changed (a change wakes its waiters); 0 or less = unlimited.</summary>
    internal static void ApplyLimit(Net.RateLimiting.BandwidthChannel channel, int bytesPerSecond)
    {
        bytesPerSecond = Math.Max(0, bytesPerSecond);
        if (channel.Limit != bytesPerSecond) channel.Limit = bytesPerSecond;
    }

    /// <summary>
    /// The torrent's swarm, created on first use. A removed torrent gets none: Session.Remove marks it
    /// removed before detaching its swarm, so a tick that still listed it cannot bring the swarm back.
    /// </summary>
    private TorrentSwarm? GetOrCreateLocked(Torrent t)
    {
        if (_swarms.TryGetValue(t, out var s)) return s;
        if (t.Removed) return null;
        return _swarms[t] = new TorrentSwarm(this, t);
    }

    /// <summary>The swarm of the torrent with this 20-byte info-hash, or null (unknown or removed).</summary>
    public TorrentSwarm? FindSwarmFor(ReadOnlySpan<byte> hash20)
    {
        var t = _session.Find(hash20);
        if (t is null) return null;
        lock (_swarms) return Volatile.Read(ref _disposed) != 0 ? null : GetOrCreateLocked(t);
    }

    /// <summary>Endpoints the torrent's swarm banned (for tests and diagnostics).</summary>
    internal int BannedCountOf(Torrent t) => SwarmOf(t)?.BannedCount ?? 0;

    private TorrentSwarm? SwarmOf(Torrent t)
    {
        lock (_swarms) return _swarms.GetValueOrDefault(t);
    }

    /// <summary>Hands peers from any source to the torrent's swarm (created if needed; none for a removed torrent).</summary>
    public void AddPeers(Torrent t, IEnumerable<IPEndPoint> peers, PeerSource source)
    {
        TorrentSwarm? s;
        lock (_swarms) s = Volatile.Read(ref _disposed) != 0 ? null : GetOrCreateLocked(t);
        if (s is null) return;
        foreach (var ep in peers) s.Learn(ep, source);
        Wake();
    }

    /// <summary>The torrent's running web seeds (none without a swarm).</summary>
    public IReadOnlyList<WebSeeds.WebSeed> WebSeedsOf(Torrent t) => SwarmOf(t)?.WebSeeds() ?? Array.Empty<WebSeeds.WebSeed>();

    public IReadOnlyList<PeerInfo> PeersOf(Torrent t) => SwarmOf(t)?.PeerList() ?? Array.Empty<PeerInfo>();

    /// <summary>Connected peers having each piece, capped at 255; zeros without connections.</summary>
    public byte[] AvailabilityOf(Torrent t, int pieces)
    {
        var counts = new byte[pieces];
        SwarmOf(t)?.CountAvailability(counts);
        return counts;
    }

    /// <summary>
    /// A torrent leaves the session: its peers are disconnected now, and its storage is handed back
    /// for the disk worker to flush and close (an ABI remove must not wait on the disk).
    /// </summary>
    public TorrentStorage? OnTorrentRemoved(Torrent t)
    {
        TorrentSwarm? s;
        lock (_swarms)
        {
            if (!_swarms.Remove(t, out s)) return null;
        }
        return s.Detach();
    }

    private void Track(Task task)
    {
        lock (_swarms) _tasks.Add(task);
    }

    /// <summary>An accepted socket; the peer's handshake names the torrent.</summary>
    public void Accept(Socket socket)
    {
        if (Volatile.Read(ref _disposed) != 0 || socket.RemoteEndPoint is not IPEndPoint remote)
        {
            socket.Dispose();
            return;
        }
        var p = new PeerConnection(socket, remote, incoming: true, _cts.Token);
        Track(Task.Run(() => p.RunAsync(this, null)));
    }

    /// <summary>
    /// Connects to a peer for a torrent, giving up after <c>peer_connect_timeout</c> seconds. Under
    /// out_enc_policy "enabled" a failed MSE attempt is redialled at once in plaintext (SwarmHost.Encryption.cs).
    /// </summary>
    public void Connect(TorrentSwarm swarm, IPEndPoint endpoint)
    {
        if (Volatile.Read(ref _disposed) != 0) { swarm.OnConnectFinished(endpoint, connected: false); return; }
        Track(Task.Run(async () =>
        {
            PeerConnection? p = null;
            try
            {
                bool encrypted = DialEncrypted(endpoint);
                p = await DialAsync(swarm, endpoint, encrypted).ConfigureAwait(false);
                if (ShouldRedialPlaintext(endpoint, encrypted, p))
                {
                    p = await DialAsync(swarm, endpoint, false).ConfigureAwait(false);
                    NoteDialResult(endpoint, false, p);
                }
            }
            finally
            {
                // Admitted by the swarm at some point = connected; otherwise the dial failed.
                swarm.OnConnectFinished(endpoint, connected: p is { ConnectedTicks: > 0 });
            }
        }));
    }

    /// <summary>One TCP connect and the connection's whole life; null when the connect failed.</summary>
    private async Task<PeerConnection?> DialAsync(TorrentSwarm swarm, IPEndPoint endpoint, bool encrypted)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, _session.Settings.GetInt(SettingIds.PeerConnectTimeout))));
                await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            }
            var p = new PeerConnection(socket, endpoint, incoming: false, _cts.Token) { DialEncrypted = encrypted };
            await p.RunAsync(this, swarm).ConfigureAwait(false);
            return p;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Stops the tick thread, closes every connection and storage, waits up to 5 s for the tasks.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Set();
        _ticker.Join();
        _cts.Cancel();
        TorrentSwarm[] swarms;
        Task[] tasks;
        lock (_swarms)
        {
            swarms = _swarms.Values.ToArray();
            _swarms.Clear();
        }
        foreach (var s in swarms) s.Shutdown();
        lock (_swarms) tasks = _tasks.ToArray();
        try { Task.WaitAll(tasks, TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
        Bandwidth.Dispose();
        Disk.Dispose();
        FilePool.Dispose();
        _cts.Dispose();
        _stop.Dispose();
        _wake.Dispose();
    }
}
