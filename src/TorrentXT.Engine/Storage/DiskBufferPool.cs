// SPDX-License-Identifier: MIT
using System.Numerics;

namespace TorrentXT.Engine.Storage;

/// <summary>
/// Block buffers for disk writes: 16 KiB blocks (the BitTorrent request size) kept on a capped free
/// list so the steady state allocates nothing, larger ones allocated on demand. Returning a buffer
/// twice throws, always (the check is one flag), because a double return would hand one buffer to
/// two writers. Thread-safe.
/// </summary>
internal sealed class DiskBufferPool
{
    public const int BlockSize = 16 * 1024;

    private readonly Lock _gate = new();
    private readonly Stack<DiskBuffer> _free = new();
    private readonly int _maxFree;
    private int _outstanding;

    /// <param name="maxFree">How many idle 16 KiB blocks to keep; more are left to the GC.</param>
    public DiskBufferPool(int maxFree) => _maxFree = Math.Max(0, maxFree);

    /// <summary>Buffers rented and not yet returned.</summary>
    public int Outstanding
    {
        get { lock (_gate) return _outstanding; }
    }

    /// <summary>Idle blocks on the free list.</summary>
    public int Idle
    {
        get { lock (_gate) return _free.Count; }
    }

    /// <summary>The capacity a buffer of <paramref name="length"/> bytes will have (what the budget is charged).</summary>
    public static int CapacityFor(int length) =>
        length <= BlockSize ? BlockSize : (int)BitOperations.RoundUpToPowerOf2((uint)length);

    public DiskBuffer Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        DiskBuffer? buffer = null;
        lock (_gate)
        {
            if (length <= BlockSize && _free.Count > 0) buffer = _free.Pop();
            _outstanding++;
        }
        buffer ??= new DiskBuffer(GC.AllocateUninitializedArray<byte>(CapacityFor(length)));
        buffer.MarkRented(length);
        return buffer;
    }

    public void Return(DiskBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        lock (_gate)
        {
            if (!buffer.IsRented) throw new InvalidOperationException("disk buffer returned twice");
            buffer.MarkReturned();
            _outstanding--;
            if (buffer.Capacity == BlockSize && _free.Count < _maxFree) _free.Push(buffer);
        }
    }
}
