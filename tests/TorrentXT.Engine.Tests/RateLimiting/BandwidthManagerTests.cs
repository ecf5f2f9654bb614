// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Net.RateLimiting;
using Xunit;
using Xunit.Abstractions;

namespace TorrentXT.Engine.Tests.RateLimiting;

public class BandwidthManagerTests(ITestOutputHelper output)
{
    /// <summary>A transfer loop that asks for 16 KiB, counts what it is granted, and asks again.</summary>
    private sealed class Consumer(BandwidthManager manager, BandwidthChain chain, int request = 16 * 1024)
    {
        private ValueTask<int> _pending;
        private bool _started;
        public long Bytes { get; private set; }
        public int Grants { get; private set; }

        /// <summary>Collects every completed grant and re-issues; returns after the first one that waits.</summary>
        public void Pump()
        {
            if (!_started) { _started = true; _pending = manager.AcquireAsync(chain, request); }
            while (_pending.IsCompleted)
            {
                Bytes += _pending.Result;
                Grants++;
                _pending = manager.AcquireAsync(chain, request);
            }
        }
    }

    private static void Run(FakeTimeProvider clock, IReadOnlyList<Consumer> consumers, TimeSpan duration, TimeSpan step)
    {
        foreach (var c in consumers) c.Pump();
        for (var t = TimeSpan.Zero; t < duration; t += step)
        {
            clock.Advance(step);
            foreach (var c in consumers) c.Pump();
        }
    }

    [Fact]
    public void Many_consumers_of_one_limited_bucket_get_the_limit_within_one_percent_over_ten_seconds()
    {
        var clock = new FakeTimeProvider();
        using var manager = new BandwidthManager(clock);
        var session = manager.CreateChannel(1_000_000);
        var consumers = Enumerable.Range(0, 25).Select(_ => new Consumer(manager, manager.CreateChain(session, manager.CreateChannel()))).ToList();
        Run(clock, consumers, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1));

        long total = consumers.Sum(c => c.Bytes);
        output.WriteLine($"25 consumers, 1 MB/s, 10 s: {total} bytes ({(total - 10_000_000) / 100_000.0:+0.00;-0.00}%), {clock.TimerChanges} timer arms");
        Assert.InRange(total, 9_900_000, 10_100_000);
        // First in, first out over equal chunks: nobody is more than a chunk or two ahead.
        Assert.InRange(consumers.Max(c => c.Grants) - consumers.Min(c => c.Grants), 0, 2);
    }

    [Fact]
    public void Chained_buckets_each_hold_their_own_limit_and_the_session_holds_the_sum()
    {
        var clock = new FakeTimeProvider();
        using var manager = new BandwidthManager(clock);
        var session = manager.CreateChannel(1_000_000);
        var slowTorrent = manager.CreateChannel(300_000);
        var openTorrent = manager.CreateChannel();
        var cappedPeer = manager.CreateChannel(50_000);
        var slow = Enumerable.Range(0, 10).Select(_ => new Consumer(manager, manager.CreateChain(session, slowTorrent, manager.CreateChannel()))).ToList();
        var open = Enumerable.Range(0, 10).Select(_ => new Consumer(manager, manager.CreateChain(session, openTorrent, manager.CreateChannel()))).ToList();
        var capped = new Consumer(manager, manager.CreateChain(session, openTorrent, cappedPeer));
        Run(clock, [.. slow, .. open, capped], TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1));

        long slowBytes = slow.Sum(c => c.Bytes), openBytes = open.Sum(c => c.Bytes);
        output.WriteLine($"torrent 300 kB/s: {slowBytes}, peer 50 kB/s: {capped.Bytes}, session 1 MB/s: {slowBytes + openBytes + capped.Bytes}");
        Assert.InRange(slowBytes, 2_970_000, 3_030_000);                        // the torrent's 300 kB/s, within 1%
        // The peer's 50 kB/s: a bucket may end the window one 16 KiB chunk in debt (3% of 500 kB).
        Assert.InRange(capped.Bytes, 480_000, 520_000);
        Assert.InRange(slowBytes + openBytes + capped.Bytes, 9_900_000, 10_100_000); // the session's 1 MB/s
    }

    [Fact]
    public async Task Unlimited_buckets_grant_everything_at_once_without_waiting_or_timers()
    {
        var clock = new FakeTimeProvider();
        using var manager = new BandwidthManager(clock);
        var chain = manager.CreateChain(manager.CreateChannel(), manager.CreateChannel(0));
        int changes = clock.TimerChanges;
        for (int i = 0; i < 1000; i++)
        {
            var grant = manager.AcquireAsync(chain, 4 * 1024 * 1024);
            Assert.True(grant.IsCompletedSuccessfully);
            Assert.Equal(4 * 1024 * 1024, await grant);
        }
        Assert.Equal(changes, clock.TimerChanges);
        Assert.Equal(0, manager.WaitingCount);
    }

    [Fact]
    public void A_waiter_is_woken_by_one_timer_armed_for_the_refill_not_by_polling()
    {
        var clock = new FakeTimeProvider();
        using var manager = new BandwidthManager(clock);
        var chain = manager.CreateChain(manager.CreateChannel(100_000));   // burst 1,000 B, 16 KiB grants
        // Drain the burst.
        while (manager.AcquireAsync(chain, 16 * 1024) is { IsCompleted: true }) { }
        Assert.Equal(1, manager.WaitingCount);
        var timer = Assert.Single(clock.Timers);
        Assert.NotNull(timer.Due);
        // The wake-up is armed for when the debt (under one chunk) is repaid: within 180 ms at 100 kB/s.
        Assert.InRange(timer.Due!.Value - clock.Now, TimeSpan.FromMilliseconds(1).Ticks, TimeSpan.FromMilliseconds(180).Ticks);
        clock.Advance(TimeSpan.FromMilliseconds(180));
        Assert.Equal(0, manager.WaitingCount);
        Assert.InRange(timer.Fired, 1, 2);
    }

    [Fact]
    public async Task A_large_request_is_served_in_chunks_that_interleave_with_others()
    {
        var clock = new FakeTimeProvider();
        using var manager = new BandwidthManager(clock);
        var chain = manager.CreateChain(manager.CreateChannel(1_000_000));
        Assert.Equal(16 * 1024, await manager.AcquireAsync(chain, 10_000_000));   // one chunk, not ten megabytes

        var big = new Consumer(manager, chain, 10_000_000);
        var small = new Consumer(manager, chain, 1000);
        Run(clock, [big, small], TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1));
        Assert.True(big.Grants > 10);
        Assert.True(big.Bytes / big.Grants <= 16 * 1024);
        // The big request never shuts the small one out: the small one gets a turn at least every
        // other chunk the big one gets.
        Assert.True(small.Grants >= big.Grants / 2 - 1, $"small {small.Grants} grants, big {big.Grants}");
    }

    [Fact]
    public async Task AcquireAll_waits_on_the_real_clock_for_the_whole_amount()
    {
        using var manager = new BandwidthManager();
        var chain = manager.CreateChain(manager.CreateChannel(1_000_000));
        var started = System.Diagnostics.Stopwatch.StartNew();
        // 10 kB of burst, the rest at 1 MB/s: at least 120 ms.
        await manager.AcquireAllAsync(chain, 150_000).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(110), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Waiters_are_served_first_in_first_out()
    {
        var clock = new FakeTimeProvider();
        using var manager = new BandwidthManager(clock, chunkSize: 1000);
        var chain = manager.CreateChain(manager.CreateChannel(50_000));  // 1,000 B chunks
        while (manager.AcquireAsync(chain, 1000) is { IsCompleted: true }) { }  // drain; this one now waits
        var order = new List<int>();
        var waits = Enumerable.Range(1, 5).Select(i => (i, manager.AcquireAsync(chain, 1000))).ToList();
        for (int ms = 0; ms < 500 && order.Count < 5; ms++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            foreach (var (i, w) in waits) if (w.IsCompleted && !order.Contains(i)) order.Add(i);
        }
        Assert.Equal([1, 2, 3, 4, 5], order);
    }

    [Fact]
    public void A_waiter_blocked_on_its_own_bucket_does_not_hold_up_other_buckets()
    {
        var clock = new FakeTimeProvider();
        using var manager = new BandwidthManager(clock);
        var session = manager.CreateChannel(10_000_000);
        var tinyPeer = manager.CreateChannel(1000);
        var blocked = manager.CreateChain(session, tinyPeer);
        while (manager.AcquireAsync(blocked, 1000) is { IsCompleted: true }) { }
        var other = manager.AcquireAsync(manager.CreateChain(session), 1000);
        Assert.True(other.IsCompleted);
    }

    [Fact]
    public async Task Cancelling_a_waiter_removes_it_and_raising_a_limit_to_unlimited_releases_the_rest()
    {
        var clock = new FakeTimeProvider();
        using var manager = new BandwidthManager(clock);
        var bucket = manager.CreateChannel(10_000);
        var chain = manager.CreateChain(bucket);
        while (manager.AcquireAsync(chain, 1000) is { IsCompleted: true }) { }
        using var cts = new CancellationTokenSource();
        var cancelled = manager.AcquireAsync(chain, 1000, cts.Token).AsTask();
        var other = manager.AcquireAsync(chain, 5000).AsTask();
        Assert.Equal(3, manager.WaitingCount);
        cts.Cancel();
        Assert.True(cancelled.IsCanceled);
        Assert.Equal(2, manager.WaitingCount);

        bucket.Limit = 0;
        Assert.Equal(0, manager.WaitingCount);
        Assert.True(other.IsCompletedSuccessfully);
        Assert.Equal(5000, await other);
    }

    [Fact]
    public void Disposing_fails_the_waiters()
    {
        var clock = new FakeTimeProvider();
        var manager = new BandwidthManager(clock);
        var chain = manager.CreateChain(manager.CreateChannel(1000));
        while (manager.AcquireAsync(chain, 1000) is { IsCompleted: true }) { }
        var waiting = manager.AcquireAsync(chain, 1000).AsTask();
        manager.Dispose();
        Assert.True(waiting.IsFaulted);
        Assert.IsType<ObjectDisposedException>(waiting.Exception!.InnerException);
        Assert.Throws<ObjectDisposedException>(() => { manager.AcquireAsync(chain, 1); });
    }

    [Fact]
    public void Chains_cannot_mix_managers()
    {
        using var a = new BandwidthManager(new FakeTimeProvider());
        using var b = new BandwidthManager(new FakeTimeProvider());
        Assert.Throws<ArgumentException>(() => a.CreateChain(b.CreateChannel(1)));
    }
}
