// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Net.RateLimiting;

/// <summary>
/// One token bucket: a byte-per-second limit (session-wide, one torrent's, or one peer's, in one
/// direction). Tokens accrue from elapsed time on the manager's clock, up to a burst of
/// <see cref="BandwidthManager.BurstSeconds"/> worth. A grant is made while the bucket is positive and
/// may overdraw it by at most one chunk, which later refills repay: the long-run rate is exact, and
/// over any window the bucket passes at most its limit plus one burst plus one chunk. Limit 0 = unlimited.
/// All state is guarded by the owning manager's lock.
/// </summary>
public sealed class BandwidthChannel
{
    private readonly BandwidthManager _manager;
    private int _limit;

    internal double Tokens;
    internal long LastRefill;
    /// <summary>Set to the manager's pass number while an earlier waiter is blocked on this bucket,
    /// so later waiters cannot take its tokens first (FIFO per bucket).</summary>
    internal int BlockedInPass;

    internal BandwidthChannel(BandwidthManager manager, int limit, long now)
    {
        _manager = manager;
        _limit = Math.Max(0, limit);
        Tokens = Capacity;
        LastRefill = now;
    }

    public BandwidthManager Manager => _manager;

    /// <summary>Bytes per second; 0 (or less) = unlimited. Changing it serves waiters it unblocks.</summary>
    public int Limit
    {
        get => _limit;
        set => _manager.SetLimit(this, Math.Max(0, value));
    }

    public bool IsUnlimited => _limit == 0;

    /// <summary>Tokens available now (negative while repaying an overdraw); for diagnostics.</summary>
    public long Available => _manager.ReadTokens(this);

    internal void SetLimitLocked(int limit, long now)
    {
        Refill(now);
        _limit = limit;
        Tokens = Math.Min(Tokens, Capacity);
    }

    internal double Capacity => Math.Max(1, _limit * BandwidthManager.BurstSeconds);

    /// <summary>Tokens at or above which a waiter blocked on this bucket is woken: three quarters of
    /// a burst, so wake-ups stay at or below about 130 per second however high the limit (each
    /// wake-up serves every waiter the tokens cover), and a timer that fires a little late still
    /// finds room below the cap. Waking only at a full bucket lost every token that accrued during
    /// the timer's lateness: 10% of the rate on loopback, where timers fire about 1 ms late.</summary>
    internal double WakeThreshold => Capacity * 0.75;

    internal void Refill(long now)
    {
        long elapsed = now - LastRefill;
        LastRefill = now;
        if (_limit == 0 || elapsed <= 0) return;
        Tokens = Math.Min(Capacity, Tokens + (double)elapsed * _limit / _manager.Frequency);
    }

    /// <summary>Clock ticks until the bucket holds <paramref name="tokens"/>.</summary>
    internal long TicksUntil(double tokens)
    {
        double missing = tokens - Tokens;
        if (missing <= 0) return 0;
        return (long)Math.Ceiling(missing * _manager.Frequency / _limit);
    }
}
