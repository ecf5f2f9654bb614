// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Net.RateLimiting;

/// <summary>
/// Hands out byte quota for one direction (download or upload) from chains of token buckets
/// (session → torrent → peer). A request is granted at once when every limited bucket in its chain
/// holds tokens; otherwise it waits, first in first out, and the manager arms one timer for the
/// moment the blocking bucket will have refilled — no polling. FIFO is kept per bucket: a waiter
/// blocked on a bucket keeps later waiters off that bucket's tokens, but does not hold up waiters
/// that only use other buckets. Every limited grant is <see cref="ChunkSize"/> (or the smaller amount
/// asked for), so a large transfer is served in chunks interleaved with everyone else's, and
/// first-in-first-out over equal chunks shares a contended bucket fairly by bytes. Thread-safe.
/// </summary>
public sealed class BandwidthManager : IDisposable
{
    /// <summary>The most tokens a bucket saves up while idle, in seconds of its limit.</summary>
    public const double BurstSeconds = 0.01;

    public const int DefaultChunkSize = 16 * 1024;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly List<BandwidthChannel> _blocked = new();
    private BandwidthWaiter? _head, _tail;
    private long _timerDue = long.MaxValue;
    private int _pass;
    private int _waiting;
    private bool _disposed;

    /// <param name="time">The clock and timers (inject a fake one in tests); the system's when null.</param>
    /// <param name="chunkSize">The largest grant.</param>
    public BandwidthManager(TimeProvider? time = null, int chunkSize = DefaultChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        _time = time ?? TimeProvider.System;
        ChunkSize = chunkSize;
        Frequency = _time.TimestampFrequency;
        _timer = _time.CreateTimer(static s => ((BandwidthManager)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int ChunkSize { get; }

    internal long Frequency { get; }

    /// <summary>Requests waiting for quota.</summary>
    public int WaitingCount
    {
        get { lock (_gate) return _waiting; }
    }

    /// <summary>A new bucket; <paramref name="bytesPerSecond"/> 0 = unlimited.</summary>
    public BandwidthChannel CreateChannel(int bytesPerSecond = 0)
    {
        lock (_gate) return new BandwidthChannel(this, bytesPerSecond, _time.GetTimestamp());
    }

    /// <summary>A chain drawing from all the given buckets (order does not matter).</summary>
    public BandwidthChain CreateChain(params BandwidthChannel[] channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var copy = new List<BandwidthChannel>(channels.Length);
        foreach (var c in channels)
        {
            ArgumentNullException.ThrowIfNull(c, nameof(channels));
            if (c.Manager != this) throw new ArgumentException("A bucket belongs to another manager.", nameof(channels));
            if (!copy.Contains(c)) copy.Add(c);
        }
        return new BandwidthChain(copy.ToArray());
    }

    /// <summary>
    /// Waits until the chain can give quota and returns how many bytes were granted: at least 1 and
    /// at most <paramref name="bytes"/> (the whole amount at once when nothing in the chain is
    /// limited; otherwise at most one chunk). Transfer that many, then ask again.
    /// </summary>
    public ValueTask<int> AcquireAsync(BandwidthChain chain, int bytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<int>(cancellationToken);
        // Nothing limited: no lock, no clock, no waiting, the whole amount.
        if (chain.IsUnlimited) return new ValueTask<int>(bytes);
        BandwidthWaiter waiter;
        List<BandwidthWaiter>? served;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (chain.Channels.Length > 0 && chain.Channels[0].Manager != this)
                throw new ArgumentException("The chain belongs to another manager.", nameof(chain));
            long now = _time.GetTimestamp();
            if (_head is null)
            {
                NewPass();
                if (TryGrant(chain, bytes, now, out int granted)) return new ValueTask<int>(granted);
            }
            waiter = new BandwidthWaiter(this, chain, bytes, cancellationToken);
            Enqueue(waiter);
            served = Pass(now);
        }
        Complete(served);
        if (!waiter.Completion.Task.IsCompleted && cancellationToken.CanBeCanceled)
            waiter.Registration = cancellationToken.UnsafeRegister(static s => ((BandwidthWaiter)s!).Manager.Cancel((BandwidthWaiter)s!), waiter);
        return new ValueTask<int>(waiter.Completion.Task);
    }

    /// <summary>Waits until <paramref name="bytes"/> in total were granted, chunk by chunk, each
    /// chunk queueing behind the requests that came meanwhile.</summary>
    public async ValueTask AcquireAllAsync(BandwidthChain chain, long bytes, CancellationToken cancellationToken = default)
    {
        while (bytes > 0)
            bytes -= await AcquireAsync(chain, (int)Math.Min(bytes, int.MaxValue), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fails every waiting request with <see cref="ObjectDisposedException"/> and stops the timer.</summary>
    public void Dispose()
    {
        var pending = new List<BandwidthWaiter>();
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            for (var w = _head; w is not null; w = w.Next) pending.Add(w);
            _head = _tail = null;
            _waiting = 0;
        }
        _timer.Dispose();
        foreach (var w in pending)
        {
            w.Queued = false;
            w.Registration.Unregister();
            w.Completion.TrySetException(new ObjectDisposedException(nameof(BandwidthManager)));
        }
    }

    internal void SetLimit(BandwidthChannel channel, int limit)
    {
        List<BandwidthWaiter>? served;
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            channel.SetLimitLocked(limit, now);
            served = _head is null ? null : Pass(now);
        }
        Complete(served);
    }

    internal long ReadTokens(BandwidthChannel channel)
    {
        lock (_gate)
        {
            channel.Refill(_time.GetTimestamp());
            return (long)Math.Floor(channel.Tokens);
        }
    }

    private void Cancel(BandwidthWaiter waiter)
    {
        List<BandwidthWaiter>? served;
        lock (_gate)
        {
            if (!waiter.Queued) return;
            Unlink(waiter);
            // It may have been the waiter holding others off a bucket.
            served = _head is null ? null : Pass(_time.GetTimestamp());
        }
        waiter.Completion.TrySetCanceled(waiter.Token);
        Complete(served);
    }

    private void OnTimer()
    {
        List<BandwidthWaiter>? served;
        lock (_gate)
        {
            _timerDue = long.MaxValue;
            if (_disposed || _head is null) return;
            served = Pass(_time.GetTimestamp());
        }
        Complete(served);
    }

    // Serves waiters in FIFO order while their buckets allow, then arms the timer for the earliest
    // moment a blocking bucket will have refilled enough. Under the lock.
    private List<BandwidthWaiter>? Pass(long now)
    {
        NewPass();
        List<BandwidthWaiter>? served = null;
        for (var w = _head; w is not null;)
        {
            var next = w.Next;
            if (TryGrant(w.Chain, w.Bytes, now, out int granted))
            {
                Unlink(w);
                w.Granted = granted;
                (served ??= new()).Add(w);
            }
            w = next;
        }
        if (_head is not null) ArmTimer(now);
        return served;
    }

    private void NewPass()
    {
        if (++_pass == int.MaxValue) _pass = 1;
        _blocked.Clear();
    }

    // Grants quota when no bucket of the chain is empty or reserved by an earlier waiter in this
    // pass; otherwise marks its empty buckets as reserved. Under the lock.
    private bool TryGrant(BandwidthChain chain, int bytes, long now, out int granted)
    {
        granted = 0;
        bool ok = true;
        long grant = bytes;
        foreach (var c in chain.Channels)
        {
            if (c.IsUnlimited) continue;
            c.Refill(now);
            if (c.BlockedInPass == _pass) { ok = false; continue; }
            if (c.Tokens <= 0)
            {
                ok = false;
                c.BlockedInPass = _pass;
                _blocked.Add(c);
                continue;
            }
            grant = Math.Min(grant, ChunkSize);
        }
        if (!ok) return false;
        foreach (var c in chain.Channels)
            if (!c.IsUnlimited) c.Tokens -= grant;
        granted = (int)grant;
        return true;
    }

    private void ArmTimer(long now)
    {
        long wait = long.MaxValue;
        foreach (var c in _blocked)
            if (!c.IsUnlimited) wait = Math.Min(wait, Math.Max(1, c.TicksUntil(c.WakeThreshold)));
        if (wait == long.MaxValue) return;
        long due = now + wait;
        if (_timerDue > now && _timerDue <= due) return; // an earlier wake-up is already armed
        _timerDue = due;
        // Round up so the timer never fires before the tokens are there.
        long ticks = (long)Math.Ceiling((double)wait * TimeSpan.TicksPerSecond / Frequency);
        _timer.Change(TimeSpan.FromTicks(Math.Max(1, ticks)), Timeout.InfiniteTimeSpan);
    }

    private void Enqueue(BandwidthWaiter w)
    {
        w.Queued = true;
        w.Previous = _tail;
        if (_tail is null) _head = w; else _tail.Next = w;
        _tail = w;
        _waiting++;
    }

    private void Unlink(BandwidthWaiter w)
    {
        if (w.Previous is null) _head = w.Next; else w.Previous.Next = w.Next;
        if (w.Next is null) _tail = w.Previous; else w.Next.Previous = w.Previous;
        w.Previous = w.Next = null;
        w.Queued = false;
        _waiting--;
    }

    private static void Complete(List<BandwidthWaiter>? served)
    {
        if (served is null) return;
        foreach (var w in served)
        {
            w.Registration.Unregister();
            w.Completion.TrySetResult(w.Granted);
        }
    }
}
