// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;

namespace TorrentXT.Engine.Dht;

/// <summary>
/// The one thread a group of DHT nodes runs on: packets, timers and API calls are all posted
/// here, so node state needs no locks. A session owns one for its nodes; the 200-node simulation
/// shares one among all of them. Ticks every <see cref="TickInterval"/> drive timeouts and refresh.
/// </summary>
public sealed class DhtDispatcher : IDisposable
{
    public static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);
    private readonly BlockingCollection<Action> _work = new(boundedCapacity: 8192);
    private readonly Thread _thread;
    private readonly Timer _timer;
    private readonly List<Action<long>> _tickers = new();
    private int _tickQueued;

    public DhtDispatcher(string name = "torrentxt-dht")
    {
        _thread = new Thread(Run) { Name = name, IsBackground = true };
        _thread.Start();
        _timer = new Timer(_ => QueueTick(), null, TickInterval, TickInterval);
    }

    public bool OnThread => Thread.CurrentThread == _thread;

    /// <summary>Queues work; when the queue is full (a packet flood: at most 8,192 items of at most 1,800 bytes) the item is dropped.</summary>
    public bool Post(Action work)
    {
        try { return _work.TryAdd(work); }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>Runs <paramref name="work"/> on the dispatcher and waits for its result (bounded).</summary>
    public T Invoke<T>(Func<T> work, T fallback)
    {
        if (OnThread) return work();
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(() => { try { done.SetResult(work()); } catch (Exception e) { done.SetException(e); } })) return fallback;
        return done.Task.Wait(TimeSpan.FromSeconds(5)) ? done.Task.Result : fallback;
    }

    public void AddTicker(Action<long> tick) => Post(() => _tickers.Add(tick));
    public void RemoveTicker(Action<long> tick) => Post(() => _tickers.Remove(tick));

    private void QueueTick()
    {
        if (Interlocked.Exchange(ref _tickQueued, 1) == 1) return; // one tick in the queue at a time
        Post(() =>
        {
            Volatile.Write(ref _tickQueued, 0);
            long now = DateTime.UtcNow.Ticks;
            foreach (var t in _tickers.ToArray()) t(now);
        });
    }

    private void Run()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            try { work(); }
            catch (Exception e) { System.Diagnostics.Debug.WriteLine($"dht: {e}"); }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _work.CompleteAdding();
        if (!OnThread) _thread.Join(TimeSpan.FromSeconds(5));
    }
}
