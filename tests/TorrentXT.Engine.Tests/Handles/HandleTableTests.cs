// SPDX-License-Identifier: MIT
using TorrentXT.Native.Handles;
using Xunit;

namespace TorrentXT.Engine.Tests.Handles;

/// <summary>Generation-tagged handles, contract §2.1, §2.2 and §2.5.</summary>
public class HandleTableTests
{
    [Fact]
    public void The_contract_example_A_B_C_then_free_A_then_D_gets_131072()
    {
        var table = new HandleTable<string>();
        int a = table.Allocate("A"), b = table.Allocate("B"), c = table.Allocate("C");
        Assert.Equal((65536, 65537, 65538), (a, b, c));
        Assert.True(table.Free(a));
        int d = table.Allocate("D");
        Assert.Equal(0x00020000, d);
        Assert.Equal(131072, d);
        Assert.False(table.TryGet(a, out _));
        Assert.True(table.TryGet(d, out var value));
        Assert.Equal("D", value);
        Assert.Equal(3, table.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65535)]       // generation 0
    [InlineData(-65536)]
    [InlineData(int.MinValue)]
    [InlineData(65536 + 5)]   // a slot never allocated
    [InlineData(0x7FFFFFFF)]  // the largest possible handle, not issued
    [InlineData(131072)]      // slot 0 with a generation it does not have yet
    public void Values_that_are_not_live_handles_are_harmless(int handle)
    {
        var table = new HandleTable<string>();
        table.Allocate("A");
        Assert.False(table.TryGet(handle, out _));
        Assert.False(table.IsLive(handle));
        Assert.False(table.Free(handle));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Freed_slots_are_reused_last_in_first_out()
    {
        var table = new HandleTable<int>();
        int[] h = [table.Allocate(0), table.Allocate(1), table.Allocate(2), table.Allocate(3)];
        table.Free(h[1]);
        table.Free(h[3]);
        table.Free(h[0]);
        Assert.Equal(0, HandleTable<int>.SlotOf(table.Allocate(10)));
        Assert.Equal(3, HandleTable<int>.SlotOf(table.Allocate(11)));
        Assert.Equal(1, HandleTable<int>.SlotOf(table.Allocate(12)));
        Assert.Equal(4, HandleTable<int>.SlotOf(table.Allocate(13))); // free list empty: append
    }

    [Fact]
    public void Freeing_twice_does_nothing_the_second_time()
    {
        var table = new HandleTable<string>();
        int a = table.Allocate("A");
        Assert.True(table.Free(a));
        Assert.False(table.Free(a));
        Assert.Equal(0, table.Count);
        Assert.Equal(0x00020000, table.Allocate("B")); // generation bumped once, not twice
    }

    [Fact]
    public void The_generation_wraps_from_32767_to_1_never_0()
    {
        var table = new HandleTable<int>();
        int handle = table.Allocate(0);
        for (int i = 1; i < 32767; i++)
        {
            table.Free(handle);
            handle = table.Allocate(i);
        }
        Assert.Equal(0x7FFF0000, handle);
        Assert.Equal(32767, HandleTable<int>.GenerationOf(handle));
        table.Free(handle);
        int wrapped = table.Allocate(-1);
        Assert.Equal(0x00010000, wrapped); // the accepted wrap-around aliasing of §2.2
        Assert.True(wrapped > 0);
    }

    [Fact]
    public void Handles_are_always_positive_up_to_0x7FFFFFFF()
    {
        var table = new HandleTable<int>();
        int last = 0;
        for (int i = 0; i < 65536; i++)
            last = table.Allocate(i);
        Assert.Equal(0x0001FFFF, last);
        table.Free(last);
        for (int i = 1; i < 32766; i++)
            table.Free(table.Allocate(i));
        int top = table.Allocate(0);
        Assert.Equal(0x7FFFFFFF, top);
    }

    [Fact]
    public void All_65536_slots_can_be_used_and_then_allocation_returns_0()
    {
        var table = new HandleTable<int>();
        for (int i = 0; i < 65536; i++)
            Assert.NotEqual(0, table.Allocate(i));
        Assert.Equal(65536, table.Count);
        Assert.Equal(0, table.Allocate(-1));
        Assert.Equal(65536, table.Count);
        Assert.True(table.Free(0x00010000 | 12345));
        Assert.Equal(0x00020000 | 12345, table.Allocate(-2));
    }

    [Fact]
    public void Enumeration_is_in_ascending_slot_order_not_insertion_order()
    {
        var table = new HandleTable<string>();
        int a = table.Allocate("A"), b = table.Allocate("B"), c = table.Allocate("C");
        table.Free(a);
        int d = table.Allocate("D"); // reuses slot 0, so it comes first
        Assert.Equal([d, b, c], table.Handles.ToArray());
        Assert.Equal(d, table.HandleAt(0));
        Assert.Equal(c, table.HandleAt(2));
        Assert.Equal(0, table.HandleAt(3));
        Assert.Equal(0, table.HandleAt(-1));
        table.Free(b);
        Assert.Equal([d, c], table.Handles.ToArray());
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Clear_frees_everything_and_bumps_every_generation()
    {
        var table = new HandleTable<string>();
        int a = table.Allocate("A"), b = table.Allocate("B");
        table.Clear();
        Assert.Equal(0, table.Count);
        Assert.False(table.IsLive(a));
        Assert.False(table.IsLive(b));
        Assert.True(table.Handles.IsEmpty);
        int next = table.Allocate("C");
        Assert.NotEqual(a, next);
        Assert.NotEqual(b, next);
        Assert.Equal(2, HandleTable<string>.GenerationOf(next));
    }

    [Fact]
    public void TryFree_hands_back_the_value()
    {
        var table = new HandleTable<string>();
        int a = table.Allocate("A");
        Assert.True(table.TryFree(a, out var value));
        Assert.Equal("A", value);
        Assert.False(table.TryFree(a, out _));
    }

    [Fact]
    public void A_smaller_table_is_exhausted_at_its_own_limit()
    {
        var table = new HandleTable<int>(2);
        Assert.NotEqual(0, table.Allocate(1));
        Assert.NotEqual(0, table.Allocate(2));
        Assert.Equal(0, table.Allocate(3));
    }

    [Fact]
    public async Task Concurrent_allocate_lookup_and_free_stay_consistent()
    {
        var table = new HandleTable<int>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            var mine = new List<int>();
            for (int i = 0; i < 20_000 && !timeout.IsCancellationRequested; i++)
            {
                int value = worker * 1_000_000 + i;
                int h = table.Allocate(value);
                Assert.NotEqual(0, h);
                Assert.True(table.TryGet(h, out int got));
                Assert.Equal(value, got);
                mine.Add(h);
                if (i % 3 == 0)
                {
                    Assert.True(table.Free(mine[^1]));
                    mine.RemoveAt(mine.Count - 1);
                }
                if (i % 1000 == 0)
                    _ = table.HandleAt(i % 7); // a snapshot rebuild racing with changes
            }
            return mine;
        })).ToArray();
        var survivors = (await Task.WhenAll(workers)).SelectMany(m => m).ToList();
        Assert.Equal(survivors.Count, table.Count);
        Assert.Equal(survivors.OrderBy(HandleTable<int>.SlotOf), table.Handles.ToArray());
        Assert.Equal(survivors.Count, survivors.Distinct().Count());
    }
}
