// SPDX-License-Identifier: MIT
namespace TorrentXT.Native.Interop;

/// <summary>
/// Keeps the library's own garbage-collected heap small while a session is live. The NativeAOT
/// library carries a private runtime whose gen0 budget is sized from the CPU cache (about 65 MiB
/// on the benchmark machine) and which ignored the GC environment knobs we tried, so whatever a
/// long transfer allocates would first pile up to that budget in the resident set. The engine's
/// per-block paths allocate next to nothing now; this bounds the rest: every quarter second, once
/// more than <see cref="AllocationStep"/> bytes were allocated with no gen0 collection since, it
/// runs one. That takes well under a millisecond on a heap of a few MiB and never holds up an ABI
/// caller (it runs on a timer thread). The heap is ours alone -- the host's memory is untouched --
/// and the engine stays free of this policy, so it behaves like any library when a .NET
/// application hosts it.
/// </summary>
internal sealed class HeapGovernor : IDisposable
{
    /// <summary>Allocation between collections: small next to the 16 MiB write-back budget.</summary>
    public const long AllocationStep = 8L << 20;

    private readonly Func<long> _allocated;
    private readonly Func<int> _gen0Collections;
    private readonly Action _collect;
    private readonly Timer? _timer;
    private readonly object _gate = new();
    private long _allocatedAtLastCollection;
    private int _gen0Seen;

    public HeapGovernor()
        : this(() => GC.GetTotalAllocatedBytes(precise: false), () => GC.CollectionCount(0),
               () => GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: false), startTimer: true)
    {
    }

    /// <summary>For tests: the runtime's counters and the collection are injected, and nothing runs on its own.</summary>
    internal HeapGovernor(Func<long> allocated, Func<int> gen0Collections, Action collect, bool startTimer)
    {
        _allocated = allocated;
        _gen0Collections = gen0Collections;
        _collect = collect;
        _allocatedAtLastCollection = allocated();
        _gen0Seen = gen0Collections();
        if (startTimer) _timer = new Timer(_ => Check(), null, 250, 250);
    }

    /// <summary>Runs a gen0 collection when one is due; true when it did.</summary>
    internal bool Check()
    {
        lock (_gate)
        {
            long allocated = _allocated();
            int gen0 = _gen0Collections();
            if (gen0 != _gen0Seen)
            {
                // The runtime collected on its own since the last look: count from now.
                _gen0Seen = gen0;
                _allocatedAtLastCollection = allocated;
                return false;
            }
            if (allocated - _allocatedAtLastCollection < AllocationStep) return false;
            _collect();
            _gen0Seen = _gen0Collections();
            _allocatedAtLastCollection = allocated;
            return true;
        }
    }

    public void Dispose() => _timer?.Dispose();
}
