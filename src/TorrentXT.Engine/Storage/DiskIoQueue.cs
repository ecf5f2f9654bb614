// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;

namespace TorrentXT.Engine.Storage;

/// <summary>
/// Runs disk work off the engine thread: block writes, block reads, piece checks and occasional
/// cold jobs, on a small fixed set of worker threads, each returning a ValueTask. Writes are copied
/// into pooled 16 KiB buffers the queue owns until they are on disk; the bytes of those buffers
/// are charged to a write-back budget, and a writer that would exceed it waits (asynchronously,
/// woken when a write finishes) so memory stays flat and the network slows to the disk's pace.
/// Jobs run in no particular order relative to each other: a caller checks a piece only after its
/// writes completed. Continuations never run on a disk worker. Thread-safe.
/// </summary>
public sealed class DiskIoQueue : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<IDiskWork> _queue = new();
    private readonly Stack<DiskJob> _jobs = new();
    private readonly Thread[] _workers;
    private readonly WriteBudget _budget;
    private readonly DiskBufferPool _buffers;
    private bool _closing;

    public DiskIoQueue(DiskIoOptions? options = null)
    {
        options ??= new DiskIoOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Threads, DiskIoOptions.MaxThreads);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WriteBudgetBytes, 1);
        _budget = new WriteBudget(options.WriteBudgetBytes);
        // Enough idle blocks to refill the whole budget without allocating.
        _buffers = new DiskBufferPool((int)Math.Min(options.WriteBudgetBytes / DiskBufferPool.BlockSize + 1, 16384));
        _workers = new Thread[options.Threads];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = "txt-disk-" + i };
            _workers[i].Start();
        }
    }

    public int Threads => _workers.Length;

    public long WriteBudgetBytes => _budget.Limit;

    /// <summary>Bytes of write buffers held now (rented or queued, not yet written).</summary>
    public long QueuedWriteBytes => _budget.Used;

    /// <summary>The most write-buffer bytes ever held at once; never above the budget (but see <see cref="WriteAsync(IBlockStorage, int, int, ReadOnlyMemory{byte}, CancellationToken)"/>).</summary>
    public long PeakQueuedWriteBytes => _budget.Peak;

    /// <summary>Writers waiting for budget.</summary>
    public int WaitingWriters => _budget.Waiting;

    /// <summary>Jobs queued and not yet picked up by a worker.</summary>
    public int PendingJobs
    {
        get { lock (_gate) return _queue.Count; }
    }

    internal DiskBufferPool Buffers => _buffers;

    /// <summary>Block jobs ever allocated (the rest were reused from the pool); for tests.</summary>
    internal int JobsCreated => Volatile.Read(ref _jobsCreated);
    private int _jobsCreated;

    /// <summary>Budget waits ever allocated (the rest reused one); for tests.</summary>
    internal int BudgetWaitersCreated => _budget.WaitersCreated;

    /// <summary>
    /// Writes a block: waits while the write-back budget is spent (<paramref name="ct"/> cancels only
    /// that wait), copies <paramref name="data"/> into a pooled buffer, queues it, and completes when
    /// the block is on disk, or faults with the <see cref="StorageException"/>. <paramref name="data"/>
    /// must stay unchanged until the task completes. A block bigger than the whole budget is let
    /// through when nothing else is queued.
    /// </summary>
    public ValueTask WriteAsync(IBlockStorage storage, int piece, int offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        int charge = DiskBufferPool.CapacityFor(data.Length);
        var admitted = _budget.AcquireAsync(charge, ct);
        if (admitted.IsCompletedSuccessfully) return QueueCopy(storage, piece, offset, data.Span);
        return WriteAfterWaitAsync(admitted, storage, piece, offset, data);
    }

    private async ValueTask WriteAfterWaitAsync(ValueTask admitted, IBlockStorage storage, int piece, int offset, ReadOnlyMemory<byte> data)
    {
        await admitted.ConfigureAwait(false);
        await QueueCopy(storage, piece, offset, data.Span).ConfigureAwait(false);
    }

    private ValueTask QueueCopy(IBlockStorage storage, int piece, int offset, ReadOnlySpan<byte> data)
    {
        DiskBuffer buffer;
        try { buffer = _buffers.Rent(data.Length); }
        catch
        {
            _budget.Release(DiskBufferPool.CapacityFor(data.Length));
            throw;
        }
        data.CopyTo(buffer.Span);
        return QueueWrite(storage, piece, offset, buffer);
    }

    /// <summary>
    /// Rents a buffer of <paramref name="length"/> bytes against the write-back budget, waiting while
    /// it is spent: a peer connection receives a block straight into it, then passes it to
    /// <see cref="WriteAsync(IBlockStorage, int, int, DiskBuffer)"/> (or <see cref="ReleaseBlock"/> if it is not written).
    /// </summary>
    public ValueTask<DiskBuffer> RentBlockAsync(int length, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var admitted = _budget.AcquireAsync(DiskBufferPool.CapacityFor(length), ct);
        if (admitted.IsCompletedSuccessfully) return new ValueTask<DiskBuffer>(_buffers.Rent(length));
        return RentAfterWaitAsync(admitted, length);
    }

    // Pooled: a download held back by the disk comes this way once per block.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<DiskBuffer> RentAfterWaitAsync(ValueTask admitted, int length)
    {
        await admitted.ConfigureAwait(false);
        return _buffers.Rent(length);
    }

    /// <summary>
    /// Writes a buffer from <see cref="RentBlockAsync"/>; the queue owns it from now on and returns it
    /// to the pool once the write has run. Completes when the block is on disk, or faults with the
    /// <see cref="StorageException"/>.
    /// </summary>
    public ValueTask WriteAsync(IBlockStorage storage, int piece, int offset, DiskBuffer block)
    {
        CheckRentedWrite(storage, block);
        return QueueWrite(storage, piece, offset, block);
    }

    /// <summary>
    /// Writes a buffer from <see cref="RentBlockAsync"/> like <see cref="WriteAsync(IBlockStorage, int, int, DiskBuffer)"/>,
    /// but tells <paramref name="observer"/> when the write has run instead of completing a task: the
    /// per-block path of a download, which then allocates nothing.
    /// </summary>
    internal void WriteBlock(IBlockStorage storage, int piece, int offset, DiskBuffer block, IBlockWriteObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        CheckRentedWrite(storage, block);
        QueueWrite(storage, piece, offset, block, observer);
    }

    private static void CheckRentedWrite(IBlockStorage storage, DiskBuffer block)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(block);
        if (!block.IsRented) throw new InvalidOperationException("the disk buffer was already returned to its pool");
    }

    /// <summary>Returns a rented buffer that will not be written. Returning a buffer twice throws.</summary>
    public void ReleaseBlock(DiskBuffer block) => ReleaseBuffer(block);

    /// <summary>Reads a block into <paramref name="destination"/> (which must stay alive until the task completes).</summary>
    public ValueTask ReadAsync(IBlockStorage storage, int piece, int offset, Memory<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var job = RentJob(DiskJobKind.Read, storage, piece, offset);
        job.Destination = destination;
        Enqueue(job);
        return new ValueTask(job, job.Version);
    }

    /// <summary>Checks a piece (<see cref="IBlockStorage.HashPiece"/>) on a worker.</summary>
    public ValueTask<bool> HashAsync(IBlockStorage storage, int piece)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var job = RentJob(DiskJobKind.Hash, storage, piece, 0);
        Enqueue(job);
        return new ValueTask<bool>(job, job.Version);
    }

    /// <summary>Runs a cold-path job on a worker (priority changes, flush, checks of whole torrents).</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var job = new DelegateJob<T>(work);
        Enqueue(job);
        return job.Completion.Task;
    }

    /// <inheritdoc cref="RunAsync{T}(Func{T})"/>
    public Task RunAsync(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(() => { work(); return true; });
    }

    /// <summary>Queues a write; the task completes when it has run, unless an observer is told instead (then the task is default).</summary>
    private ValueTask QueueWrite(IBlockStorage storage, int piece, int offset, DiskBuffer buffer, IBlockWriteObserver? observer = null)
    {
        var job = RentJob(DiskJobKind.Write, storage, piece, offset);
        job.Buffer = buffer;
        job.Observer = observer;
        // Taken before queuing: an observed job may be back in the pool by the time Enqueue returns.
        var completion = observer is null ? new ValueTask(job, job.Version) : default;
        try { Enqueue(job); }
        catch
        {
            job.Buffer = null;
            job.Storage = null;
            job.Observer = null;
            ReturnJob(job);
            ReleaseBuffer(buffer);
            throw;
        }
        return completion;
    }

    private DiskJob RentJob(DiskJobKind kind, IBlockStorage storage, int piece, int offset)
    {
        DiskJob? job = null;
        lock (_gate)
            if (_jobs.Count > 0) job = _jobs.Pop();
        if (job is null)
        {
            job = new DiskJob(this);
            Interlocked.Increment(ref _jobsCreated);
        }
        job.Kind = kind;
        job.Storage = storage;
        job.Piece = piece;
        job.Offset = offset;
        return job;
    }

    internal void ReturnJob(DiskJob job)
    {
        lock (_gate)
            if (_jobs.Count < 1024) _jobs.Push(job);
    }

    // Double returns throw before the budget is credited, so the budget cannot drift.
    internal void ReleaseBuffer(DiskBuffer buffer)
    {
        int capacity = buffer.Capacity;
        _buffers.Return(buffer);
        _budget.Release(capacity);
    }

    private void Enqueue(IDiskWork work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            _queue.Enqueue(work);
            Monitor.Pulse(_gate);
        }
    }

    private void WorkerLoop()
    {
        while (true)
        {
            IDiskWork work;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    if (_closing) return;
                    Monitor.Wait(_gate);
                }
                work = _queue.Dequeue();
            }
            work.Execute();
        }
    }

    /// <summary>
    /// Stops taking work, fails writers still waiting for budget, runs every job already queued
    /// (queued writes are not lost), and joins the workers.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closing) return;
            _closing = true;
            Monitor.PulseAll(_gate);
        }
        _budget.Close();
        foreach (var t in _workers)
            if (t != Thread.CurrentThread) t.Join();
    }
}
