// SPDX-License-Identifier: MIT
using System.Threading.Tasks.Sources;

namespace TorrentXT.Engine.Storage;

/// <summary>
/// The write-back budget: bytes of block buffers waiting to be written. Acquiring beyond the limit
/// waits, first come first served, until writes finish and release their bytes: an event, never a
/// poll. One request larger than the whole budget is let through when nothing else is held, so it
/// cannot wait forever. Thread-safe.
/// </summary>
internal sealed class WriteBudget
{
    private readonly object _gate = new();
    private readonly Queue<Waiter> _waiters = new();
    // Waiters are their own ValueTask sources and come back here once awaited: a download that is
    // held back by the disk waits once per block, and that must not allocate per block.
    private readonly Stack<Waiter> _idle = new();
    private readonly long _limit;
    private long _used;
    private long _peak;
    private bool _closed;

    public WriteBudget(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
    }

    public long Limit => _limit;

    public long Used
    {
        get { lock (_gate) return _used; }
    }

    /// <summary>The most bytes ever held at once.</summary>
    public long Peak
    {
        get { lock (_gate) return _peak; }
    }

    /// <summary>Waiters ever allocated; the rest were reused (for tests).</summary>
    public int WaitersCreated { get; private set; }

    /// <summary>Requests waiting for room.</summary>
    public int Waiting
    {
        get { lock (_gate) return _waiters.Count; }
    }

    /// <summary>Takes <paramref name="bytes"/>, waiting while the budget is spent. Completes synchronously when there is room.</summary>
    public ValueTask AcquireAsync(int bytes, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Waiter waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            // Nobody may overtake a waiter, or a stream of small requests could starve it.
            if (_waiters.Count == 0 && Fits(bytes))
            {
                Take(bytes);
                return default;
            }
            if (ct.IsCancellationRequested) return ValueTask.FromCanceled(ct);
            if (!_idle.TryPop(out waiter!))
            {
                waiter = new Waiter(this);
                WaitersCreated++;
            }
            waiter.Arm(bytes, ct);
            _waiters.Enqueue(waiter);
            // Registered under the lock (Monitor is reentrant, so a callback that fires at once is
            // fine), so the registration is in place before any grant can dispose it.
            if (ct.CanBeCanceled) waiter.Registration = ct.Register(static s => ((Waiter)s!).Cancel(), waiter);
        }
        return new ValueTask(waiter, waiter.Version);
    }

    /// <summary>Gives back <paramref name="bytes"/> and wakes the waiters that now fit.</summary>
    public void Release(int bytes)
    {
        lock (_gate) _used -= bytes;
        Grant();
    }

    /// <summary>Fails every waiter; later acquisitions throw <see cref="ObjectDisposedException"/>.</summary>
    public void Close()
    {
        List<Waiter> failed = new();
        lock (_gate)
        {
            _closed = true;
            while (_waiters.TryDequeue(out var w))
            {
                if (w.Done) continue;
                w.Done = true;
                failed.Add(w);
            }
        }
        foreach (var w in failed)
        {
            w.Registration.Dispose();
            w.Fail(new ObjectDisposedException(nameof(DiskIoQueue)));
        }
    }

    private bool Fits(int bytes) => _used == 0 || _used + bytes <= _limit;

    private void Take(int bytes)
    {
        _used += bytes;
        if (_used > _peak) _peak = _used;
    }

    // Completes waiters one at a time, outside the lock (their continuations run asynchronously anyway).
    private void Grant()
    {
        while (true)
        {
            Waiter? granted = null;
            lock (_gate)
            {
                while (_waiters.TryPeek(out var head))
                {
                    if (head.Done) { _waiters.Dequeue(); continue; }
                    if (!Fits(head.Bytes)) break;
                    _waiters.Dequeue();
                    head.Done = true;
                    Take(head.Bytes);
                    granted = head;
                    break;
                }
            }
            if (granted is null) return;
            granted.Registration.Dispose();
            granted.Grant();
        }
    }

    /// <summary>One request waiting for room; reused after its result was taken.</summary>
    private sealed class Waiter(WriteBudget owner) : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
        private CancellationToken _ct;
        public int Bytes;
        public CancellationTokenRegistration Registration;
        // Decided under the budget's lock: granted, cancelled or failed, exactly once.
        public bool Done;

        public short Version => _core.Version;

        public void Arm(int bytes, CancellationToken ct)
        {
            Bytes = bytes;
            _ct = ct;
            Done = false;
            Registration = default;
        }

        public void Grant() => _core.SetResult(true);

        public void Fail(Exception e) => _core.SetException(e);

        public void Cancel()
        {
            lock (owner._gate)
            {
                if (Done) return;
                Done = true;
            }
            _core.SetException(new OperationCanceledException(_ct));
            // The cancelled waiter may have been the head holding others back.
            owner.Grant();
        }

        public void GetResult(short token)
        {
            try { _core.GetResult(token); }
            finally
            {
                _core.Reset();
                _ct = default;
                lock (owner._gate)
                    if (owner._idle.Count < 256) owner._idle.Push(this);
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
