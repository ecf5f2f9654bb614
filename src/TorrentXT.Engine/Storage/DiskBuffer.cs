// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Storage;

/// <summary>
/// A pooled block buffer owned by a <see cref="DiskIoQueue"/>: rented against its write-back budget
/// (<see cref="DiskIoQueue.RentBlockAsync"/>), filled by the caller (a peer connection can receive a
/// block straight into it), then handed to <see cref="DiskIoQueue.WriteAsync(IBlockStorage, int, int, DiskBuffer)"/>
/// which gives it back after the write. Using it after that throws.
/// </summary>
public sealed class DiskBuffer
{
    private readonly byte[] _array;
    private int _length;
    private bool _rented;

    internal DiskBuffer(byte[] array) => _array = array;

    /// <summary>The usable length (what was asked for).</summary>
    public int Length
    {
        get
        {
            ThrowIfReturned();
            return _length;
        }
    }

    /// <summary>The bytes the buffer really holds, which is what counts against the budget.</summary>
    public int Capacity => _array.Length;

    public Memory<byte> Memory
    {
        get
        {
            ThrowIfReturned();
            return _array.AsMemory(0, _length);
        }
    }

    public Span<byte> Span
    {
        get
        {
            ThrowIfReturned();
            return _array.AsSpan(0, _length);
        }
    }

    internal bool IsRented => _rented;

    internal void MarkRented(int length)
    {
        _length = length;
        _rented = true;
    }

    internal void MarkReturned() => _rented = false;

    private void ThrowIfReturned()
    {
        if (!_rented) throw new InvalidOperationException("the disk buffer was already returned to its pool");
    }
}
