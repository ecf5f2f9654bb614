// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Dht.Krpc;

namespace TorrentXT.Engine.Dht;

/// <summary>
/// One mainline DHT node (BEP 5) on one UDP socket: routing table, request/transaction
/// bookkeeping, the server side (DhtNode.Server.cs) and lookups (DhtNode.Client.cs, DhtNode.Items.cs).
/// Every method that touches state runs on the <see cref="DhtDispatcher"/> thread; the public
/// entry points post themselves there, so callers on any thread never block on the network.
/// </summary>
public sealed partial class DhtNode : IDisposable
{
    public const int MaxPendingRequests = 4096;
    public const int MaxLookups = 256;
    private static readonly long RefreshTicks = TimeSpan.FromMinutes(15).Ticks;

    private sealed class Pending
    {
        public required IPEndPoint To;
        public byte[]? Id;
        public required string Method;
        public long SentAt;
        public bool SlowReported;
        public Lookup? Lookup;
        public Lookup.Candidate? Candidate;
        public Action<KrpcMessage?>? Callback;
    }

    private readonly Socket _socket;
    private readonly DhtDispatcher _dispatcher;
    private readonly DhtConfig _config;
    private readonly Dictionary<ushort, Pending> _pending = new();
    private readonly HashSet<Lookup> _lookups = new();
    private readonly WriteTokens _tokens = new();
    private readonly PeerStore _peers;
    private readonly ItemStore _items;
    private readonly FloodGuard _flood;
    private readonly UploadBudget _upload;
    private readonly Action<long> _ticker;
    private readonly CancellationTokenSource _stop = new();
    private ushort _nextTid = (ushort)Random.Shared.Next();
    private long _lastRefresh;
    private volatile bool _disposed;
    private int _statNodes, _statCache, _statTorrents, _statItems;
    private long _statGlobal;

    public RoutingTable Table { get; }
    public IPEndPoint LocalEndPoint { get; }
    public AddressFamily Family => LocalEndPoint.AddressFamily;
    public DhtConfig Config => _config;
    /// <summary>Packets dropped by validation or flood control (hostile-input tests read it).</summary>
    public long DroppedPackets { get; private set; }
    /// <summary>The session's IP filter: blocked addresses are neither answered nor queried.</summary>
    public Func<IPAddress, bool>? Blocked { get; set; }
    /// <summary>Our address as the majority of responders report it (BEP 42 "ip"), once known.</summary>
    public IPAddress? ExternalAddress { get; private set; }

    // Snapshots for other threads (updated every tick).
    public int NodeCount => Volatile.Read(ref _statNodes);
    /// <summary>The DHT's estimated size (<see cref="RoutingTable.EstimateNetworkSize"/>).</summary>
    public long GlobalNodeEstimate => Volatile.Read(ref _statGlobal);
    public int NodeCacheCount => Volatile.Read(ref _statCache);
    public int TorrentCount => Volatile.Read(ref _statTorrents);
    public int ItemCount => Volatile.Read(ref _statItems);
    public byte[] Id => Table.OwnId;

    private DhtNode(Socket socket, DhtDispatcher dispatcher, DhtConfig config, byte[] id)
    {
        _socket = socket;
        _dispatcher = dispatcher;
        _config = config;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        Table = new RoutingTable(id, config);
        _peers = new PeerStore(config);
        _items = new ItemStore(config);
        _flood = new FloodGuard(config);
        _upload = new UploadBudget(config);
        _ticker = Tick;
        _dispatcher.AddTicker(_ticker);
        _ = ReceiveLoop();
    }

    /// <summary>
    /// Binds a UDP socket on <paramref name="endpoint"/> (the session's listen address and port)
    /// and starts the node. <paramref name="id"/> null: a BEP 42 id for a public bound address,
    /// else a random one. Throws <see cref="SocketException"/> when the port cannot be bound.
    /// </summary>
    public static DhtNode Start(IPEndPoint endpoint, DhtDispatcher dispatcher, DhtConfig config, byte[]? id = null)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
            socket.Bind(endpoint);
            id ??= NodeId.IsExempt(endpoint.Address) ? NodeId.Random() : NodeId.ForAddress(endpoint.Address);
            return new DhtNode(socket, dispatcher, config, id);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[KrpcMessage.MaxPacket + 1];
        EndPoint any = Family == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try { r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; } // ICMP unreachable and the like
            if (r.ReceivedBytes > KrpcMessage.MaxPacket) { DroppedPackets++; continue; }
            var packet = buffer.AsSpan(0, r.ReceivedBytes).ToArray();
            var from = (IPEndPoint)r.RemoteEndPoint;
            _dispatcher.Post(() => Receive(packet, from));
        }
    }

    /// <summary>uTP SYNs answered with a RESET (<see cref="Net.UtpRefusal"/>).</summary>
    public int UtpSynsRefused { get; private set; }

    /// <summary>Handles one datagram (dispatcher thread). Public for the hostile-input tests.</summary>
    internal void Receive(byte[] packet, IPEndPoint from)
    {
        if (_disposed) return;
        long now = DateTime.UtcNow.Ticks;
        if (from.Port == 0 || Blocked?.Invoke(from.Address) == true || !_flood.Allow(from, now)) { DroppedPackets++; return; }
        if (Net.UtpRefusal.IsSyn(packet))
        {
            // A uTP dial to our listen port: refuse it at once so the peer comes back over TCP.
            var reset = new byte[Net.UtpRefusal.HeaderLength];
            Net.UtpRefusal.WriteReset(packet, reset, (uint)(Environment.TickCount64 * 1000));
            try { _socket.SendTo(reset, from); UtpSynsRefused++; }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
            return;
        }
        if (!KrpcMessage.TryParse(packet, out var msg, out var tid, out var error))
        {
            DroppedPackets++;
            if (tid is not null && error is not null && !_config.ReadOnly) SendReply(KrpcWriter.Error(tid, KrpcWriter.ProtocolError, error), from, now);
            return;
        }
        switch (msg!.Kind)
        {
            case KrpcKind.Query: HandleQuery(msg, from, now); break;
            default: HandleReply(msg, from, now); break;
        }
    }

    private void HandleReply(KrpcMessage msg, IPEndPoint from, long now)
    {
        if (msg.TransactionId.Length != 2) { DroppedPackets++; return; }
        ushort tid = (ushort)(msg.TransactionId[0] << 8 | msg.TransactionId[1]);
        // A reply must come from the address we asked: anything else is spoofed or stale.
        if (!_pending.TryGetValue(tid, out var p) || !SameEndpoint(p.To, from)) { DroppedPackets++; return; }
        _pending.Remove(tid);
        if (msg.Kind == KrpcKind.Error)
        {
            if (p.Candidate is not null) p.Lookup!.FailedRequest(p.Candidate);
            p.Callback?.Invoke(msg);
            return;
        }
        bool verified = NodeId.MatchesAddress(msg.SenderId, from.Address);
        if (!msg.ReadOnly && (verified || !_config.EnforceNodeId))
            Table.Heard(msg.SenderId, from, responded: true, verified, now);
        if (msg.ObservedAddress is { } seen) NoteExternalAddress(seen.Address);
        if (p.Candidate is not null)
        {
            var nodes = new List<NodeInfo>();
            ReadNodes(msg.Body!, nodes);
            p.Lookup!.Replied(p.Candidate, msg, nodes);
        }
        p.Callback?.Invoke(msg);
    }

    private int _externalVotes;
    private void NoteExternalAddress(IPAddress seen)
    {
        // A simple majority vote: the address must be reported repeatedly before we believe it.
        if (seen.Equals(ExternalAddress)) { _externalVotes = Math.Min(_externalVotes + 1, 10); return; }
        if (--_externalVotes <= 0) { ExternalAddress = seen; _externalVotes = 1; }
    }

    /// <summary>Reads nodes (and nodes6 for an IPv6 node) from a response body.</summary>
    private void ReadNodes(BValue body, List<NodeInfo> into)
    {
        bool v6 = Family == AddressFamily.InterNetworkV6;
        if (body.GetString(v6 ? "nodes6" : "nodes") is { } n) Compact.TryReadNodes(n.Bytes.Span, Family, into);
    }

    private static bool SameEndpoint(IPEndPoint a, IPEndPoint b) =>
        a.Port == b.Port && (a.Address.Equals(b.Address) ||
            (a.Address.IsIPv4MappedToIPv6 ? a.Address.MapToIPv4() : a.Address).Equals(b.Address.IsIPv4MappedToIPv6 ? b.Address.MapToIPv4() : b.Address));

    // ---- sending --------------------------------------------------------------------------------

    /// <summary>Sends a query; the reply (or null on timeout) goes to the lookup candidate or the callback.</summary>
    private bool SendQuery(IPEndPoint to, byte[]? id, string method, BDict args, Lookup? lookup, Lookup.Candidate? candidate, Action<KrpcMessage?>? callback)
    {
        if (_disposed || _pending.Count >= MaxPendingRequests || Compact.Family(to) != Family || Blocked?.Invoke(to.Address) == true) return false;
        ushort tid = _nextTid;
        while (_pending.ContainsKey(tid)) tid++;
        _nextTid = (ushort)(tid + 1);
        args["id"] = Table.OwnId;
        var packet = KrpcWriter.Query([(byte)(tid >> 8), (byte)tid], method, args, _config.ReadOnly);
        try { _socket.SendTo(packet, to); }
        catch (SocketException) { return false; }
        catch (ObjectDisposedException) { return false; }
        _pending[tid] = new Pending
        {
            To = to, Id = id, Method = method, SentAt = DateTime.UtcNow.Ticks, Lookup = lookup, Candidate = candidate, Callback = callback,
        };
        return true;
    }

    private void SendReply(byte[] packet, IPEndPoint to, long now)
    {
        if (!_upload.TrySpend(packet.Length, now)) { DroppedPackets++; return; }
        try { _socket.SendTo(packet, to); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    // ---- timers ---------------------------------------------------------------------------------

    private void Tick(long now)
    {
        if (_disposed) return;
        long timeout = _config.RequestTimeout.Ticks, slow = _config.SlowRequest.Ticks;
        List<(ushort, Pending)>? expired = null;
        foreach (var (tid, p) in _pending)
        {
            if (now - p.SentAt >= timeout) (expired ??= new()).Add((tid, p));
            else if (!p.SlowReported && now - p.SentAt >= slow && p.Candidate is not null)
            {
                p.SlowReported = true;
                var (l, c) = (p.Lookup!, p.Candidate);
                _dispatcher.Post(() => l.MarkSlow(c));
            }
        }
        if (expired is not null)
            foreach (var (tid, p) in expired)
            {
                _pending.Remove(tid);
                if (p.Id is not null) Table.Failed(p.Id, p.To);
                else if (p.Candidate?.Id is { } cid) Table.Failed(cid, p.To);
                if (p.Candidate is not null) p.Lookup!.FailedRequest(p.Candidate);
                p.Callback?.Invoke(null);
            }
        foreach (var l in _lookups.ToArray()) if (!l.Finished) l.Step();
        _tokens.Tick(now);
        if (now - _lastRefresh > TimeSpan.TicksPerSecond * 5)
        {
            _lastRefresh = now;
            _peers.Expire(now);
            _items.Expire(now);
            Refresh(now);
        }
        Volatile.Write(ref _statNodes, Table.LiveCount);
        Volatile.Write(ref _statGlobal, Table.EstimateNetworkSize());
        Volatile.Write(ref _statCache, Table.CacheCount);
        Volatile.Write(ref _statTorrents, _peers.TorrentCount);
        Volatile.Write(ref _statItems, _items.Count);
    }

    /// <summary>Keeps the table alive: pings the stalest node, refreshes a stale bucket with a find_node.</summary>
    private void Refresh(long now)
    {
        if (Table.LiveCount == 0) return;
        var stale = Table.LeastRecentlySeen(now - RefreshTicks);
        if (stale is not null) { stale.LastSeen = now; Ping(stale.EndPoint, stale.Id); }
        int bucket = Table.StaleBucket(now - RefreshTicks, now);
        if (bucket >= 0 && _lookups.Count < MaxLookups / 2)
            StartLookup(NodeId.RandomInBucket(Table.OwnId, bucket), "find_node", null, null);
    }

    private void Ping(IPEndPoint to, byte[]? id) =>
        SendQuery(to, id, "ping", new BDict(), null, null, null);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _dispatcher.RemoveTicker(_ticker);
        _stop.Cancel();
        _socket.Dispose();
    }
}
