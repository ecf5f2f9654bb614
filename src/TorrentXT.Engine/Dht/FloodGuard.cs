// SPDX-License-Identifier: MIT
using System.Net;

namespace TorrentXT.Engine.Dht;

/// <summary>
/// Incoming flood control (libtorrent's dht_block_ratelimit / dht_block_timeout): a source sending
/// more than the limit of packets per second is ignored for the block time. Sources are keyed by
/// IP, except on loopback where many nodes share 127.0.0.1 and the key is the whole endpoint. The
/// table is bounded; when it fills, quiet entries are forgotten.
/// </summary>
public sealed class FloodGuard(DhtConfig config)
{
    private const int MaxTracked = 4096;
    private sealed class Entry { public long WindowStart; public int Count; public long BlockedUntil; }
    private readonly Dictionary<IPEndPoint, Entry> _sources = new();

    public int Tracked => _sources.Count;
    public long Dropped { get; private set; }

    /// <summary>False when the packet must be dropped.</summary>
    public bool Allow(IPEndPoint from, long now)
    {
        int limit = config.BlockRateLimit;
        if (limit <= 0) return true;
        var key = IPAddress.IsLoopback(from.Address) ? from : new IPEndPoint(from.Address, 0);
        if (!_sources.TryGetValue(key, out var e))
        {
            if (_sources.Count >= MaxTracked) Sweep(now);
            _sources[key] = e = new Entry { WindowStart = now };
        }
        if (e.BlockedUntil > now) { Dropped++; return false; }
        // A 1-second window; the burst allowed is 'limit' packets per window.
        if (now - e.WindowStart >= TimeSpan.TicksPerSecond) { e.WindowStart = now; e.Count = 0; }
        if (++e.Count > limit * 2)
        {
            e.BlockedUntil = now + TimeSpan.FromSeconds(config.BlockTimeout).Ticks;
            Dropped++;
            return false;
        }
        return true;
    }

    private void Sweep(long now)
    {
        foreach (var k in _sources.Where(kv => kv.Value.BlockedUntil <= now && now - kv.Value.WindowStart > TimeSpan.TicksPerSecond)
                     .Select(kv => kv.Key).ToList())
            _sources.Remove(k);
        if (_sources.Count >= MaxTracked) _sources.Clear(); // all busy: start over rather than grow
    }
}

/// <summary>dht_upload_rate_limit: a token bucket over bytes sent in replies; replies that do not fit are not sent.</summary>
public sealed class UploadBudget(DhtConfig config)
{
    private double _tokens = -1;
    private long _last;

    public bool TrySpend(int bytes, long now)
    {
        int rate = config.UploadRateLimit;
        if (rate <= 0) return true;
        double burst = Math.Max(rate, 2 * KrpcBudget);
        if (_tokens < 0) { _tokens = burst; _last = now; }
        _tokens = Math.Min(burst, _tokens + (now - _last) * (double)rate / TimeSpan.TicksPerSecond);
        _last = now;
        if (_tokens < bytes) return false;
        _tokens -= bytes;
        return true;
    }

    private const int KrpcBudget = 1500;
}
