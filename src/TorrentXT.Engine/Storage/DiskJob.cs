// SPDX-License-Identifier: MIT
using System.Threading.Tasks.Sources;

namespace TorrentXT.Engine.Storage;

/// <summary>One unit of work for a disk worker.</summary>
internal interface IDiskWork
{
    void Execute();
}

internal enum DiskJobKind : byte { Write, Read, Hash }

/// <summary>
/// Told that a block write queued with <see cref="DiskIoQueue.WriteBlock"/> has run:
/// <paramref name="error"/> is null when the block is on disk. Lets the download path write every
/// block without allocating a task per block. Called on the disk worker itself (a hop to the thread
/// pool would keep each job out of the pool until the hop ran, and under load that lag is what
/// grew the pool): an observer must be brief and must not wait on I/O.
/// </summary>
internal interface IBlockWriteObserver
{
    void OnBlockWritten(IBlockStorage storage, int piece, int offset, int length, Exception? error);
}

/// <summary>
/// A pooled block job (write, read or hash) that is its own ValueTask source, so queuing a block
/// allocates nothing. It goes back to the pool when its result is consumed -- or, for a write with
/// an <see cref="IBlockWriteObserver"/>, before the observer is told; continuations never run on the
/// disk worker. A write job gives its buffer back (and the budget its bytes) as soon as the write
/// has run, whether or not anyone awaits the result.
/// </summary>
internal sealed class DiskJob : IDiskWork, IValueTaskSource, IValueTaskSource<bool>
{
    private readonly DiskIoQueue _queue;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    public DiskJob(DiskIoQueue queue) => _queue = queue;

    public DiskJobKind Kind;
    public IBlockStorage? Storage;
    public int Piece;
    public int Offset;
    public DiskBuffer? Buffer;
    public Memory<byte> Destination;
    public IBlockWriteObserver? Observer;

    public short Version => _core.Version;

    public void Execute()
    {
        bool result = false;
        int length = 0;
        Exception? error = null;
        try
        {
            var storage = Storage!;
            switch (Kind)
            {
                case DiskJobKind.Write:
                    length = Buffer!.Length;
                    storage.WriteBlock(Piece, Offset, Buffer.Span);
                    break;
                case DiskJobKind.Read: storage.ReadBlock(Piece, Offset, Destination.Span); break;
                case DiskJobKind.Hash: result = storage.HashPiece(Piece); break;
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            if (Buffer is { } b)
            {
                Buffer = null;
                _queue.ReleaseBuffer(b);
            }
            Destination = default;
        }
        if (Observer is { } observer)
        {
            var (storage, piece, offset) = (Storage!, Piece, Offset);
            Observer = null;
            Storage = null;
            _queue.ReturnJob(this);
            try { observer.OnBlockWritten(storage, piece, offset, length, error); }
            catch (Exception e)
            {
                // An observer's bug must not end the disk worker (an unhandled exception on our
                // thread would end the host process too); observers handle their own failures.
                System.Diagnostics.Debug.Fail("block write observer threw", e.ToString());
            }
            return;
        }
        Storage = null;
        if (error is not null) _core.SetException(error);
        else _core.SetResult(result);
    }

    public bool GetResult(short token)
    {
        try { return _core.GetResult(token); }
        finally
        {
            _core.Reset();
            _queue.ReturnJob(this);
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

/// <summary>A cold-path job running a delegate (priority changes, flushes); allocates, which is fine there.</summary>
internal sealed class DelegateJob<T>(Func<T> work) : IDiskWork
{
    public readonly TaskCompletionSource<T> Completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Execute()
    {
        try { Completion.TrySetResult(work()); }
        catch (Exception e) { Completion.TrySetException(e); }
    }
}
