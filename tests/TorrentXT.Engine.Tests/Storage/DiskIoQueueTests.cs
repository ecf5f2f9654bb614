// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Tests.Creation;
using Xunit;
using static TorrentXT.Engine.Tests.Storage.StorageVectors;

namespace TorrentXT.Engine.Tests.Storage;

/// <summary>
/// The disk queue runs writes, reads and checks on its workers. Write buffers are pooled and
/// charged to a write-back budget; when it is spent, writers wait until a write finishes, so
/// however fast blocks arrive the memory held never exceeds the budget.
/// </summary>
public sealed class DiskIoQueueTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("v1_multi")]
    [InlineData("hybrid_multi")]
    [InlineData("v2_multi")]
    public async Task A_whole_torrent_written_through_the_queue_checks_and_reads_back(string id)
    {
        var info = Load(id);
        var all = TorrentBytes(id, info);
        using var dir = new ScratchDir();
        using var queue = new DiskIoQueue(new DiskIoOptions { Threads = 3, WriteBudgetBytes = 64 * 1024 });
        using var storage = new TorrentStorage(info, dir.Path);

        var writes = Shuffled(info, seed: 5)
            .Select(b => queue.WriteAsync(storage, b.Piece, b.Offset, all.AsMemory((int)(info.Files.PieceOffset(b.Piece) + b.Offset), b.Length)).AsTask())
            .ToArray();
        await Task.WhenAll(writes).WaitAsync(Limit);
        Assert.True(queue.PeakQueuedWriteBytes <= 64 * 1024);

        var checks = AllPieces(info).Select(p => queue.HashAsync(storage, p).AsTask()).ToArray();
        Assert.All(await Task.WhenAll(checks).WaitAsync(Limit), Assert.True);

        var read = new byte[info.Files.PieceLength];
        foreach (int p in AllPieces(info))
        {
            int size = info.Files.PieceSize(p);
            await queue.ReadAsync(storage, p, 0, read.AsMemory(0, size)).AsTask().WaitAsync(Limit);
            Assert.True(all.AsSpan((int)info.Files.PieceOffset(p), size).SequenceEqual(read.AsSpan(0, size)));
        }
        Assert.Equal(0, queue.QueuedWriteBytes);
        Assert.Equal(0, queue.Buffers.Outstanding);
        Assert.Equal(AllPieces(info), await queue.RunAsync(() => CheckerPasses(storage)).WaitAsync(Limit));
    }

    [Fact]
    public async Task With_a_tiny_budget_and_a_slow_disk_memory_in_flight_never_exceeds_the_budget()
    {
        const int budget = 64 * 1024;
        using var queue = new DiskIoQueue(new DiskIoOptions { Threads = 2, WriteBudgetBytes = budget });
        var disk = new SlowDisk(queue, TimeSpan.FromMilliseconds(2));
        var block = new byte[16384];
        var writes = new List<Task>();
        int maxWaiting = 0;
        for (int i = 0; i < 120; i++)
        {
            block[0] = (byte)i;
            // Each write gets its own source bytes: they must stay unchanged until the write completes.
            var t = queue.WriteAsync(disk, i, 0, block.ToArray());
            writes.Add(t.AsTask());
            maxWaiting = Math.Max(maxWaiting, queue.WaitingWriters);
        }
        await Task.WhenAll(writes).WaitAsync(Limit);

        Assert.True(maxWaiting > 0, "writers had to wait");
        Assert.InRange(disk.MaxHeldBytes, 16384, budget);
        Assert.InRange(queue.PeakQueuedWriteBytes, 16384, budget);
        Assert.Equal(120, disk.Written.Count);
        Assert.All(disk.Written, w => Assert.Equal((byte)w.Key, w.Value));
        Assert.Equal(0, queue.QueuedWriteBytes);
        Assert.Equal(0, queue.Buffers.Outstanding);
        Assert.InRange(queue.Buffers.Idle, 1, budget / 16384 + 1);
    }

    [Fact]
    public async Task A_waiting_writer_is_woken_by_the_write_that_frees_room()
    {
        using var queue = new DiskIoQueue(new DiskIoOptions { Threads = 1, WriteBudgetBytes = 16384 });
        var disk = new GatedDisk();
        var first = queue.WriteAsync(disk, 0, 0, new byte[16384]).AsTask();
        var second = queue.WriteAsync(disk, 1, 0, new byte[16384]).AsTask();
        Assert.True(disk.Entered.Wait(Limit));
        Assert.False(second.IsCompleted);
        Assert.Equal(1, queue.WaitingWriters);

        disk.Gate.Set();
        await Task.WhenAll(first, second).WaitAsync(Limit);
        Assert.Equal(0, queue.WaitingWriters);
    }

    [Fact]
    public async Task Cancelling_a_waiting_write_gives_nothing_away()
    {
        using var queue = new DiskIoQueue(new DiskIoOptions { Threads = 1, WriteBudgetBytes = 16384 });
        var disk = new GatedDisk();
        var first = queue.WriteAsync(disk, 0, 0, new byte[16384]).AsTask();
        using var cts = new CancellationTokenSource();
        var cancelled = queue.WriteAsync(disk, 1, 0, new byte[16384], cts.Token).AsTask();
        var third = queue.WriteAsync(disk, 2, 0, new byte[16384]).AsTask();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Limit));

        disk.Gate.Set();
        await Task.WhenAll(first, third).WaitAsync(Limit);
        Assert.Equal([0, 2], disk.Pieces.OrderBy(p => p));
        Assert.Equal(0, queue.QueuedWriteBytes);
    }

    [Fact]
    public async Task A_disk_error_reaches_the_writer_and_frees_the_buffer()
    {
        using var queue = new DiskIoQueue(new DiskIoOptions { Threads = 1 });
        var disk = new FailingDisk();
        var e = await Assert.ThrowsAsync<StorageException>(() => queue.WriteAsync(disk, 0, 0, new byte[100]).AsTask().WaitAsync(Limit));
        Assert.Equal(28, e.ErrorCode);
        Assert.Equal(0, queue.QueuedWriteBytes);
        Assert.Equal(0, queue.Buffers.Outstanding);
        await Assert.ThrowsAsync<StorageException>(() => queue.ReadAsync(disk, 0, 0, new byte[10]).AsTask().WaitAsync(Limit));
    }

    [Fact]
    public async Task A_rented_block_is_written_without_a_copy_and_cannot_be_returned_twice()
    {
        using var queue = new DiskIoQueue(new DiskIoOptions { Threads = 1, WriteBudgetBytes = 32768 });
        var disk = new SlowDisk(queue, TimeSpan.Zero);
        var block = await queue.RentBlockAsync(16384).AsTask().WaitAsync(Limit);
        Assert.Equal(16384, queue.QueuedWriteBytes);
        block.Span.Fill(7);
        await queue.WriteAsync(disk, 3, 0, block).AsTask().WaitAsync(Limit);
        Assert.Equal(7, disk.Written[3]);
        Assert.Equal(0, queue.QueuedWriteBytes);
        Assert.Throws<InvalidOperationException>(() => block.Memory);
        Assert.Throws<InvalidOperationException>(() => queue.ReleaseBlock(block));
        Assert.Throws<InvalidOperationException>(() => queue.WriteAsync(disk, 3, 0, block));

        var unused = await queue.RentBlockAsync(100).AsTask().WaitAsync(Limit);
        queue.ReleaseBlock(unused);
        Assert.Throws<InvalidOperationException>(() => queue.ReleaseBlock(unused));
        Assert.Equal(0, queue.QueuedWriteBytes);
    }

    [Fact]
    public async Task An_observed_write_tells_its_observer_and_a_download_reuses_its_jobs_and_waits()
    {
        // The download path: rent (waiting when the budget is spent), write, be told. Two blocks of
        // budget for 300 blocks means nearly every rent waits; jobs and waits come from pools.
        using var queue = new DiskIoQueue(new DiskIoOptions { Threads = 2, WriteBudgetBytes = 2 * 16384 });
        var disk = new SlowDisk(queue, TimeSpan.Zero);
        var observer = new RecordingObserver();
        async Task DownloadAsync(int first, int count)
        {
            for (int i = first; i < first + count; i++)
            {
                var block = await queue.RentBlockAsync(16384 - i % 2).AsTask().WaitAsync(Limit);
                block.Span[0] = (byte)i;
                queue.WriteBlock(disk, i, 16384, block, observer);
            }
            Assert.True(observer.AllTold(count, Limit), $"{observer.Told.Count} of {first + count} writes were told");
        }

        await DownloadAsync(0, 300);
        int jobs = queue.JobsCreated, waits = queue.BudgetWaitersCreated;
        await DownloadAsync(300, 300);
        Assert.All(observer.Told, t =>
        {
            Assert.Equal(16384, t.Offset);
            Assert.Equal(16384 - t.Piece % 2, t.Length);
            Assert.Null(t.Error);
            Assert.Equal((byte)t.Piece, disk.Written[t.Piece]);
        });
        Assert.Equal(600, observer.Told.Count);
        Assert.Equal(0, queue.QueuedWriteBytes);
        Assert.Equal(0, queue.Buffers.Outstanding);
        // A job goes back to the pool once its observer was told, so the first round's jobs
        // (as many as were in flight at once) serve the second; waits are reused the same way.
        Assert.InRange(queue.JobsCreated - jobs, 0, 8);
        Assert.InRange(queue.BudgetWaitersCreated - waits, 0, 2);
        Assert.InRange(waits, 1, 4);
    }

    [Fact]
    public async Task An_observed_write_that_fails_tells_the_observer_why_and_frees_the_buffer()
    {
        using var queue = new DiskIoQueue(new DiskIoOptions { Threads = 1 });
        var observer = new RecordingObserver();
        var block = await queue.RentBlockAsync(100).AsTask().WaitAsync(Limit);
        queue.WriteBlock(new FailingDisk(), 4, 0, block, observer);
        Assert.True(observer.AllTold(1, Limit));
        var told = observer.Told.Single();
        Assert.Equal((4, 0, 100), (told.Piece, told.Offset, told.Length));
        Assert.Equal(28, Assert.IsType<StorageException>(told.Error).ErrorCode);
        Assert.Equal(0, queue.QueuedWriteBytes);
        Assert.Equal(0, queue.Buffers.Outstanding);

        // A write offered after the queue closed throws at once and the buffer goes back.
        var late = await queue.RentBlockAsync(10).AsTask().WaitAsync(Limit);
        queue.Dispose();
        Assert.Throws<ObjectDisposedException>(() => queue.WriteBlock(new FailingDisk(), 0, 0, late, observer));
        Assert.Equal(0, queue.Buffers.Outstanding);
        Assert.Single(observer.Told);
    }

    [Fact]
    public async Task Disposing_runs_the_writes_already_queued()
    {
        var queue = new DiskIoQueue(new DiskIoOptions { Threads = 1, WriteBudgetBytes = 1 << 20 });
        var disk = new SlowDisk(queue, TimeSpan.FromMilliseconds(1));
        var writes = Enumerable.Range(0, 20).Select(i => queue.WriteAsync(disk, i, 0, new byte[16384]).AsTask()).ToArray();
        queue.Dispose();
        await Task.WhenAll(writes).WaitAsync(Limit);
        Assert.Equal(20, disk.Written.Count);
        Assert.Throws<ObjectDisposedException>(() => queue.HashAsync(disk, 0));
    }

    [Fact]
    public void Options_come_from_the_settings_the_user_set()
    {
        var pack = new SettingsPack();
        var defaults = DiskIoOptions.FromSettings(pack);
        Assert.Equal(Math.Min(4, Environment.ProcessorCount), defaults.Threads);
        Assert.Equal(16L << 20, defaults.WriteBudgetBytes);
        pack.SetInt("aio_threads", 2);
        pack.SetInt("max_queued_disk_bytes", 4 << 20);
        var set = DiskIoOptions.FromSettings(pack);
        Assert.Equal(2, set.Threads);
        Assert.Equal(4L << 20, set.WriteBudgetBytes);
    }

    private sealed class RecordingObserver : IBlockWriteObserver
    {
        public readonly System.Collections.Concurrent.ConcurrentBag<(int Piece, int Offset, int Length, Exception? Error)> Told = new();
        private readonly SemaphoreSlim _each = new(0);

        public void OnBlockWritten(IBlockStorage storage, int piece, int offset, int length, Exception? error)
        {
            Told.Add((piece, offset, length, error));
            _each.Release();
        }

        public bool AllTold(int count, TimeSpan limit)
        {
            var until = DateTime.UtcNow + limit;
            for (int i = 0; i < count; i++)
                if (!_each.Wait(until - DateTime.UtcNow > TimeSpan.Zero ? until - DateTime.UtcNow : TimeSpan.Zero)) return false;
            return true;
        }
    }

    /// <summary>A disk that takes its time, and records the write-back bytes held while it writes.</summary>
    private sealed class SlowDisk(DiskIoQueue queue, TimeSpan delay) : IBlockStorage
    {
        private long _max;
        public readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> Written = new();

        public long MaxHeldBytes => Interlocked.Read(ref _max);

        public void WriteBlock(int piece, int offset, ReadOnlySpan<byte> data)
        {
            long held = queue.QueuedWriteBytes;
            long seen;
            while (held > (seen = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, held, seen) != seen) { }
            if (delay > TimeSpan.Zero) Thread.Sleep(delay);
            Written[piece] = data[0];
        }

        public void ReadBlock(int piece, int offset, Span<byte> destination) => destination.Clear();

        public bool HashPiece(int piece) => true;
    }

    /// <summary>A disk whose writes block until the test opens the gate.</summary>
    private sealed class GatedDisk : IBlockStorage
    {
        public readonly ManualResetEventSlim Gate = new();
        public readonly ManualResetEventSlim Entered = new();
        public readonly System.Collections.Concurrent.ConcurrentBag<int> Pieces = new();

        public void WriteBlock(int piece, int offset, ReadOnlySpan<byte> data)
        {
            Entered.Set();
            Gate.Wait(Limit);
            Pieces.Add(piece);
        }

        public void ReadBlock(int piece, int offset, Span<byte> destination) { }

        public bool HashPiece(int piece) => true;
    }

    private sealed class FailingDisk : IBlockStorage
    {
        public void WriteBlock(int piece, int offset, ReadOnlySpan<byte> data) =>
            throw new StorageException("/full/x", StorageOperation.Write, 28, "No space left on device");

        public void ReadBlock(int piece, int offset, Span<byte> destination) =>
            throw new StorageException("/full/x", StorageOperation.Read, 5, "Input/output error");

        public bool HashPiece(int piece) => false;
    }
}
