// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace TorrentXT.Engine.Trackers;

/// <summary>
/// BEP 15 UDP trackers over one socket per address family, each with a receive loop that hands
/// replies to the waiting exchange by transaction id (and sender). Connection ids are kept per
/// tracker endpoint for <c>udp_tracker_token_expiry</c> seconds. A request is retransmitted with
/// doubling waits (<see cref="FirstRetransmit"/>, 2x, 4x, ...) until the exchange's completion
/// timeout.
/// </summary>
public sealed class UdpTrackerClient : IDisposable
{
    private readonly ConcurrentDictionary<uint, Pending> _pending = new();
    private readonly ConcurrentDictionary<IPEndPoint, (long Id, long ExpiresMs)> _connections = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly object _socketsLock = new();
    private Socket? _v4, _v6;
    private int _disposed;

    /// <summary>The first wait before a retransmission (BEP 15 says 15 s; loopback tests set less).</summary>
    public TimeSpan FirstRetransmit { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>How long a connection id stays usable (BEP 15: one minute).</summary>
    public TimeSpan ConnectionIdLifetime { get; set; } = TimeSpan.FromSeconds(60);

    private sealed record Pending(IPEndPoint From, TaskCompletionSource<byte[]> Reply);

    public async Task<AnnounceResult> AnnounceAsync(string trackerUrl, AnnounceRequest request, TrackerLimits limits, CancellationToken ct)
    {
        using var whole = Deadline(limits, ct);
        var tracker = await ResolveAsync(trackerUrl, whole.Token, limits).ConfigureAwait(false);
        return await WithConnectionAsync(tracker, limits, ct, whole.Token, async (id, token) =>
        {
            byte[] reply = await ExchangeAsync(tracker, (p, tid) => UdpTrackerPackets.WriteAnnounce(p, id, tid, request), limits, ct, token).ConfigureAwait(false);
            return UdpTrackerPackets.ReadAnnounce(reply, tracker.AddressFamily);
        }).ConfigureAwait(false);
    }

    public async Task<ScrapeResult> ScrapeAsync(string trackerUrl, byte[] infoHash, TrackerLimits limits, CancellationToken ct)
    {
        using var whole = Deadline(limits, ct);
        var tracker = await ResolveAsync(trackerUrl, whole.Token, limits).ConfigureAwait(false);
        return await WithConnectionAsync(tracker, limits, ct, whole.Token, async (id, token) =>
        {
            byte[] reply = await ExchangeAsync(tracker, (p, tid) => UdpTrackerPackets.WriteScrape(p, id, tid, infoHash), limits, ct, token).ConfigureAwait(false);
            return UdpTrackerPackets.ReadScrape(reply);
        }).ConfigureAwait(false);
    }

    private static CancellationTokenSource Deadline(TrackerLimits limits, CancellationToken ct)
    {
        var whole = CancellationTokenSource.CreateLinkedTokenSource(ct);
        whole.CancelAfter(limits.Completion);
        return whole;
    }

    /// <summary>Runs <paramref name="exchange"/> with a connection id: the cached one, else a fresh connect.</summary>
    private async Task<T> WithConnectionAsync<T>(IPEndPoint tracker, TrackerLimits limits, CancellationToken ct, CancellationToken token,
        Func<long, CancellationToken, Task<T>> exchange)
    {
        long now = Environment.TickCount64;
        if (!_connections.TryGetValue(tracker, out var cached) || cached.ExpiresMs <= now)
        {
            byte[] reply = await ExchangeAsync(tracker, (p, tid) => UdpTrackerPackets.WriteConnect(p, tid), limits, ct, token).ConfigureAwait(false);
            cached = (UdpTrackerPackets.ReadConnectionId(reply), Environment.TickCount64 + (long)ConnectionIdLifetime.TotalMilliseconds);
            _connections[tracker] = cached;
        }
        try { return await exchange(cached.Id, token).ConfigureAwait(false); }
        catch (TrackerFailure f) when (f.Code == TrackerFailure.TimedOut)
        {
            _connections.TryRemove(tracker, out _); // the tracker may have forgotten the id; reconnect next time
            throw;
        }
    }

    /// <summary>Sends one request and waits for its reply, retransmitting with doubling waits.</summary>
    private async Task<byte[]> ExchangeAsync(IPEndPoint tracker, Func<byte[], uint, int> write, TrackerLimits limits,
        CancellationToken ct, CancellationToken token)
    {
        var socket = SocketFor(tracker.AddressFamily);
        uint tid;
        var pending = new Pending(tracker, new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        do tid = (uint)RandomNumberGenerator.GetInt32(int.MaxValue); while (!_pending.TryAdd(tid, pending));
        var packet = new byte[UdpTrackerPackets.AnnounceLength];
        int length = write(packet, tid);
        try
        {
            var wait = FirstRetransmit;
            while (true)
            {
                try { await socket.SendToAsync(packet.AsMemory(0, length), SocketFlags.None, tracker, token).ConfigureAwait(false); }
                catch (SocketException e) { throw HttpTrackerClient.SocketFailure(e); }
                var delay = Task.Delay(wait, token);
                var done = await Task.WhenAny(pending.Reply.Task, delay).ConfigureAwait(false);
                if (done == pending.Reply.Task) return await pending.Reply.Task.ConfigureAwait(false);
                if (token.IsCancellationRequested) break;
                wait *= 2;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        finally { _pending.TryRemove(tid, out _); }
        ct.ThrowIfCancellationRequested();
        throw TrackerFailure.Timeout($"after {limits.Completion.TotalSeconds:0} s without a UDP reply (tracker_completion_timeout)");
    }

    private static async Task<IPEndPoint> ResolveAsync(string url, CancellationToken token, TrackerLimits limits)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Port <= 0)
            throw new TrackerFailure(TrackerFailure.InvalidResponse, "bad udp tracker url (it needs a host and a port): " + url);
        string host = uri.DnsSafeHost;
        if (IPAddress.TryParse(host, out var literal)) return new IPEndPoint(literal, uri.Port);
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, token).ConfigureAwait(false);
            var pick = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return pick is null ? throw new TrackerFailure(TrackerFailure.HostNotFound, "host not found: " + host) : new IPEndPoint(pick, uri.Port);
        }
        catch (SocketException e) { throw HttpTrackerClient.SocketFailure(e); }
        catch (OperationCanceledException) when (!token.IsCancellationRequested || limits.Completion > TimeSpan.Zero)
        {
            throw TrackerFailure.Timeout("resolving " + host);
        }
    }

    private Socket SocketFor(AddressFamily family)
    {
        lock (_socketsLock)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            ref Socket? slot = ref family == AddressFamily.InterNetworkV6 ? ref _v6 : ref _v4;
            if (slot is not null) return slot;
            var s = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            slot = s;
            _ = Task.Run(() => ReceiveLoop(s));
            return s;
        }
    }

    private async Task ReceiveLoop(Socket s)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(s.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_cts.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try { r = await s.ReceiveFromAsync(buffer, SocketFlags.None, any, _cts.Token).ConfigureAwait(false); }
            catch (SocketException) { continue; }      // e.g. ICMP port unreachable from an earlier send
            catch (Exception) { return; }              // closed
            if (r.ReceivedBytes < 8) continue;
            uint tid = UdpTrackerPackets.TransactionOf(buffer);
            if (_pending.TryGetValue(tid, out var p) && p.From.Equals(r.RemoteEndPoint))
                p.Reply.TrySetResult(buffer.AsSpan(0, r.ReceivedBytes).ToArray());
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _cts.Cancel();
        lock (_socketsLock)
        {
            _v4?.Dispose();
            _v6?.Dispose();
        }
    }
}
