// SPDX-License-Identifier: MIT
using System.Diagnostics.CodeAnalysis;

namespace TorrentXT.Native.Handles;

/// <summary>
/// Generation-tagged handles (contract §2.1, §2.2): <c>handle = (generation &lt;&lt; 16) | slot</c>
/// with a 15-bit generation 1..32767 and a 16-bit slot. Freeing bumps the slot's generation
/// (32767 wraps to 1) and pushes the slot on a LIFO free list; allocation reuses the most recently
/// freed slot, else appends one with generation 1; at most 65,536 slots.
/// </summary>
/// <remarks>
/// Thread-safe. Changes serialise on a lock; lookups are lock-free: each occupied slot holds an
/// immutable entry that carries its own handle, so a lookup is one array read and one compare.
/// </remarks>
public sealed class HandleTable<T>
{
    public const int MaxSlots = 1 << 16;
    public const int MaxGeneration = 0x7FFF;

    private sealed class Entry(int handle, T value)
    {
        public readonly int Handle = handle;
        public readonly T Value = value;
    }

    private readonly Lock _gate = new();
    private readonly int _slotLimit;
    private Entry?[] _entries = new Entry?[16];
    private ushort[] _generations = new ushort[16];
    private int _slotCount;            // slots ever appended
    private int[] _free = new int[16]; // LIFO stack of free slot indices
    private int _freeCount;
    private int _count;
    private int[]? _snapshot;          // occupied handles in ascending slot order; null when stale

    public HandleTable() : this(MaxSlots)
    {
    }

    /// <summary>A table limited to fewer slots than the contract's 65,536 (for tests of exhaustion).</summary>
    internal HandleTable(int slotLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slotLimit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slotLimit, MaxSlots);
        _slotLimit = slotLimit;
    }

    /// <summary>The number of occupied slots.</summary>
    public int Count => Volatile.Read(ref _count);

    public static int SlotOf(int handle) => handle & 0xFFFF;

    public static int GenerationOf(int handle) => (handle >> 16) & MaxGeneration;

    /// <summary>Stores <paramref name="value"/> and returns its new handle, or 0 when every slot is in use.</summary>
    public int Allocate(T value)
    {
        lock (_gate)
        {
            int slot;
            if (_freeCount > 0)
            {
                slot = _free[--_freeCount];
            }
            else
            {
                if (_slotCount >= _slotLimit)
                    return 0;
                slot = _slotCount++;
                if (slot == _entries.Length)
                    Grow();
                _generations[slot] = 1;
            }
            int handle = _generations[slot] << 16 | slot;
            Volatile.Write(ref _entries[slot], new Entry(handle, value));
            _count++;
            _snapshot = null;
            return handle;
        }
    }

    /// <summary>True when <paramref name="handle"/> is live; then <paramref name="value"/> is its value.</summary>
    public bool TryGet(int handle, [MaybeNullWhen(false)] out T value)
    {
        var entry = Find(handle);
        if (entry is null)
        {
            value = default;
            return false;
        }
        value = entry.Value;
        return true;
    }

    public bool IsLive(int handle) => Find(handle) is not null;

    /// <summary>Frees a live handle; a handle that is not live is ignored (returns false).</summary>
    public bool Free(int handle) => TryFree(handle, out _);

    /// <summary>Frees a live handle and hands back the value it held.</summary>
    public bool TryFree(int handle, [MaybeNullWhen(false)] out T value)
    {
        lock (_gate)
        {
            var entry = Find(handle);
            if (entry is null)
            {
                value = default;
                return false;
            }
            ReleaseSlot(SlotOf(handle));
            value = entry.Value;
            return true;
        }
    }

    /// <summary>
    /// Frees every occupied slot in ascending slot order, bumping generations as single frees do,
    /// so no earlier handle can come back to life by accident.
    /// </summary>
    public void Clear()
    {
        lock (_gate)
        {
            for (int slot = 0; slot < _slotCount; slot++)
            {
                if (_entries[slot] is not null)
                    ReleaseSlot(slot);
            }
        }
    }

    /// <summary>The <paramref name="index"/>-th occupied slot's handle in ascending slot order, or 0 when out of range.</summary>
    public int HandleAt(int index)
    {
        var handles = Snapshot();
        return (uint)index < (uint)handles.Length ? handles[index] : 0;
    }

    /// <summary>Every live handle in ascending slot order (a shared immutable snapshot).</summary>
    public ReadOnlySpan<int> Handles => Snapshot();

    private Entry? Find(int handle)
    {
        if (handle <= 0)
            return null;
        var entries = Volatile.Read(ref _entries);
        int slot = SlotOf(handle);
        if (slot >= entries.Length)
            return null;
        var entry = Volatile.Read(ref entries[slot]);
        // The entry's handle carries the slot's current generation, so equality is the liveness test.
        return entry is not null && entry.Handle == handle ? entry : null;
    }

    private void ReleaseSlot(int slot)
    {
        Volatile.Write(ref _entries[slot], null);
        ushort generation = _generations[slot];
        _generations[slot] = (ushort)(generation == MaxGeneration ? 1 : generation + 1);
        if (_freeCount == _free.Length)
            Array.Resize(ref _free, _free.Length * 2);
        _free[_freeCount++] = slot;
        _count--;
        _snapshot = null;
    }

    private void Grow()
    {
        int size = Math.Min(_entries.Length * 2, MaxSlots);
        var entries = new Entry?[size];
        Array.Copy(_entries, entries, _entries.Length);
        Array.Resize(ref _generations, size);
        // Publish the larger array only once it holds every entry, for lock-free readers.
        Volatile.Write(ref _entries, entries);
    }

    private int[] Snapshot()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null)
            return snapshot;
        lock (_gate)
        {
            if (_snapshot is null)
            {
                var handles = new int[_count];
                int n = 0;
                for (int slot = 0; slot < _slotCount; slot++)
                {
                    var entry = _entries[slot];
                    if (entry is not null)
                        handles[n++] = entry.Handle;
                }
                Volatile.Write(ref _snapshot, handles);
            }
            return _snapshot;
        }
    }
}
