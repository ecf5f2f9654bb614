// SPDX-License-Identifier: MIT
using TorrentXT.Native.Interop;
using Xunit;

namespace TorrentXT.Engine.Tests.Handles;

/// <summary>
/// The library's heap governor runs a gen0 collection once enough was allocated with none since,
/// and leaves the runtime alone when it collects by itself. The runtime's counters are simulated.
/// </summary>
public sealed class HeapGovernorTests
{
    private long _allocated = 1000;
    private int _gen0;
    private int _forced;

    private HeapGovernor Governor() =>
        new(() => _allocated, () => _gen0, () => { _forced++; _gen0++; }, startTimer: false);

    [Fact]
    public void Below_the_step_nothing_is_collected()
    {
        var g = Governor();
        _allocated += HeapGovernor.AllocationStep - 1;
        Assert.False(g.Check());
        Assert.Equal(0, _forced);
    }

    [Fact]
    public void A_step_allocated_without_a_collection_forces_exactly_one()
    {
        var g = Governor();
        _allocated += HeapGovernor.AllocationStep;
        Assert.True(g.Check());
        Assert.False(g.Check()); // nothing allocated since
        _allocated += HeapGovernor.AllocationStep / 2;
        Assert.False(g.Check());
        _allocated += HeapGovernor.AllocationStep / 2;
        Assert.True(g.Check());
        Assert.Equal(2, _forced);
    }

    [Fact]
    public void A_collection_the_runtime_ran_itself_restarts_the_count()
    {
        var g = Governor();
        _allocated += HeapGovernor.AllocationStep * 3;
        _gen0++; // the runtime collected
        Assert.False(g.Check());
        _allocated += HeapGovernor.AllocationStep - 1;
        Assert.False(g.Check());
        Assert.Equal(0, _forced);
    }
}
