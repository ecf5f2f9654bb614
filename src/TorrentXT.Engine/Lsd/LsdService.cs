// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Lsd;

/// <summary>
/// Local Service Discovery (BEP 14) while <c>enable_lsd</c> is on. For each listen endpoint an
/// announce socket sends from that address (so a session listening on 127.0.0.1 announces on the
/// loopback device only), with multicast loop on and TTL 1. One receive socket per address family
/// on port 6771 joins the group on the same interfaces. Each eligible torrent (started, not
/// private, no disable_lsd flag) is announced when it starts and then every
/// <c>local_service_announce_interval</c> seconds, at most <see cref="MaxSendsPerTick"/> messages a
/// second; received announces are rate-limited per sender, our own (same cookie) are ignored, and
/// the rest feed <see cref="Torrent.AddPeers"/> with <see cref="PeerSource.Lsd"/>.
/// </summary>
internal sealed class LsdService : IDisposable
{
    private const int TickMs = 1000;
    private const int MaxSendsPerTick = 10;
    private const int MaxReceivesPerSenderPerSecond = 10;

    private readonly Session _session;
    private readonly Timer _timer;
    private readonly object _sync = new();
    private readonly Dictionary<Torrent, long> _nextAnnounce = new();
    private readonly Dictionary<IPAddress, (long Second, int Count)> _received = new();
    private readonly List<(Socket Socket, IPEndPoint Listen)> _senders = new();
    private readonly List<Socket> _receivers = new();
    private string _openFor = "";
    private int _disposed;

    /// <summary>Our cookie: announces carrying it are our own, looped back.</summary>
    public string Cookie { get; } = RandomNumberGenerator.GetInt32(int.MaxValue).ToString("x8");
    /// <summary>The multicast port (BEP 14's 6771; tests may not change it, but can read it).</summary>
    public int Port { get; init; } = LsdMessage.Port;

    public LsdService(Session session)
    {
        _session = session;
        _timer = new Timer(_ => Tick(), null, TickMs / 4, TickMs);
    }

    private SettingsPack Settings => _session.Settings;

    private void Tick()
    {
        if (!Monitor.TryEnter(_sync)) return;
        try
        {
            if (Volatile.Read(ref _disposed) != 0) return;
            if (!Settings.GetBool(SettingIds.EnableLsd)) { CloseLocked(); return; }
            var listen = _session.ListenEndpoints;
            string key = string.Join(",", listen.Select(e => e.ToString()));
            if (key != _openFor) { CloseLocked(); OpenLocked(listen); _openFor = key; }
            AnnounceDueLocked();
        }
        catch (Exception e) { System.Diagnostics.Debug.WriteLine($"lsd tick: {e}"); }
        finally { Monitor.Exit(_sync); }
    }

    /// <summary>Whether LSD may be used for this torrent now (BEP 27: never for private torrents).</summary>
    private bool Eligible(Torrent t) =>
        !t.Removed && !t.IsPaused && !_session.IsPaused && (t.Flags & TorrentFlags.DisableLsd) == 0
        && t.Info?.IsPrivate != true && (t.IsReadyForPeers || !t.HasMetadata);

    private void AnnounceDueLocked()
    {
        if (_senders.Count == 0) return;
        long now = Environment.TickCount64;
        long interval = Math.Max(1, Settings.GetInt(SettingIds.LocalServiceAnnounceInterval)) * 1000L;
        var torrents = _session.Torrents;
        foreach (var gone in _nextAnnounce.Keys.Where(t => !torrents.Contains(t)).ToArray()) _nextAnnounce.Remove(gone);
        int sent = 0;
        foreach (var t in torrents)
        {
            if (!Eligible(t)) { _nextAnnounce.Remove(t); continue; } // announced again at once when it restarts
            if (_nextAnnounce.TryGetValue(t, out long due) && now < due) continue;
            if (sent++ >= MaxSendsPerTick) break;
            _nextAnnounce[t] = now + interval;
            byte[] hash = t.InfoHashes.V1 ?? t.InfoHashes.TruncatedV2!;
            foreach (var (socket, listenOn) in _senders)
            {
                bool v6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
                var group = new IPEndPoint(IPAddress.Parse(v6 ? LsdMessage.GroupV6 : LsdMessage.GroupV4), Port);
                string host = v6 ? $"[{LsdMessage.GroupV6}]:{Port}" : $"{LsdMessage.GroupV4}:{Port}";
                var packet = LsdMessage.Build(host, listenOn.Port, new[] { hash }, Cookie);
                try { socket.SendTo(packet, group); }
                catch (SocketException) { } // no multicast route on this interface: nothing to announce to
            }
        }
    }

    private void OpenLocked(IReadOnlyList<IPEndPoint> listen)
    {
        var joinV4 = new List<IPAddress>();
        var joinV6 = new List<int>();
        foreach (var ep in listen)
        {
            try
            {
                var s = new Socket(ep.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                if (ep.AddressFamily == AddressFamily.InterNetwork)
                {
                    s.Bind(new IPEndPoint(ep.Address, 0));
                    s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, ep.Address.GetAddressBytes());
                    s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
                    s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 1);
                    joinV4.Add(ep.Address);
                }
                else
                {
                    int index = InterfaceIndexOf(ep.Address);
                    s.Bind(new IPEndPoint(ep.Address, 0));
                    s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, index);
                    s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, true);
                    s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 1);
                    joinV6.Add(index);
                }
                _senders.Add((s, ep));
            }
            catch (SocketException) { }
        }
        if (joinV4.Count > 0) OpenReceiver(AddressFamily.InterNetwork, s =>
        {
            var group = IPAddress.Parse(LsdMessage.GroupV4);
            foreach (var a in joinV4.Distinct())
                s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, a));
        });
        if (joinV6.Count > 0) OpenReceiver(AddressFamily.InterNetworkV6, s =>
        {
            var group = IPAddress.Parse(LsdMessage.GroupV6);
            foreach (int i in joinV6.Distinct())
                s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(group, i));
        });
    }

    /// <summary>The interface of a listen address for IPv6 multicast: loopback for ::1, the owner of a unicast address, else 0.</summary>
    private static int InterfaceIndexOf(IPAddress address)
    {
        if (IPAddress.IsLoopback(address)) return NetworkInterface.IPv6LoopbackInterfaceIndex;
        if (address.Equals(IPAddress.IPv6Any)) return 0;
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            foreach (var ua in nic.GetIPProperties().UnicastAddresses)
                if (ua.Address.Equals(address)) return nic.GetIPProperties().GetIPv6Properties()?.Index ?? 0;
        return 0;
    }

    private void OpenReceiver(AddressFamily family, Action<Socket> join)
    {
        var s = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (family == AddressFamily.InterNetworkV6) s.DualMode = false;
            s.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, Port));
            join(s);
            _receivers.Add(s);
            _ = ReceiveLoop(s);
        }
        catch (SocketException) { s.Dispose(); }
    }

    private async Task ReceiveLoop(Socket s)
    {
        var buffer = new byte[1500];
        EndPoint any = new IPEndPoint(s.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (true)
        {
            SocketReceiveFromResult r;
            try { r = await s.ReceiveFromAsync(buffer, SocketFlags.None, any).ConfigureAwait(false); }
            catch (SocketException) { continue; }
            catch (Exception) { return; } // closed
            if (r.RemoteEndPoint is IPEndPoint from) OnPacket(buffer.AsSpan(0, r.ReceivedBytes), from);
        }
    }

    private void OnPacket(ReadOnlySpan<byte> packet, IPEndPoint from)
    {
        var msg = LsdMessage.Parse(packet);
        if (msg is null || msg.Cookie == Cookie || !Settings.GetBool(SettingIds.EnableLsd)) return;
        long second = Environment.TickCount64 / 1000;
        lock (_received)
        {
            if (_received.Count > 4096) _received.Clear();
            var (s, n) = _received.GetValueOrDefault(from.Address);
            n = s == second ? n + 1 : 1;
            _received[from.Address] = (second, n);
            if (n > MaxReceivesPerSenderPerSecond) return;
        }
        var peer = new[] { new IPEndPoint(from.Address, msg.Port) };
        foreach (var hash in msg.InfoHashes)
        {
            var t = _session.Find(hash);
            if (t is not null && Eligible(t)) t.AddPeers(peer, PeerSource.Lsd);
        }
    }

    private void CloseLocked()
    {
        foreach (var (s, _) in _senders) s.Dispose();
        foreach (var s in _receivers) s.Dispose();
        _senders.Clear();
        _receivers.Clear();
        _openFor = "";
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        using (var done = new ManualResetEvent(false))
        {
            _timer.Dispose(done);
            done.WaitOne(TimeSpan.FromSeconds(2));
        }
        lock (_sync) CloseLocked();
    }
}
