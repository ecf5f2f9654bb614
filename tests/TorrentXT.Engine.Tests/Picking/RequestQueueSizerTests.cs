// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Picking;
using TorrentXT.Engine.Settings;
using Xunit;

namespace TorrentXT.Engine.Tests.Picking;

public class RequestQueueSizerTests
{
    private static readonly TimeSpan ShortRtt = TimeSpan.FromMilliseconds(20);

    /// <summary>A sizer that has left slow start (the rate stopped growing).</summary>
    private static RequestQueueSizer Steady(RequestQueueSettings? settings = null)
    {
        var sizer = new RequestQueueSizer(settings);
        sizer.Update(100_000, ShortRtt, snubbed: false);
        sizer.Update(100_000, ShortRtt, snubbed: false);
        Assert.False(sizer.InSlowStart);
        return sizer;
    }

    [Fact]
    public void Slow_start_begins_small_and_grows_one_request_per_block_received()
    {
        var sizer = new RequestQueueSizer();
        Assert.True(sizer.InSlowStart);
        Assert.Equal(4, sizer.QueueSize);
        for (int i = 0; i < 10; i++) sizer.OnBlockReceived();
        Assert.Equal(14, sizer.QueueSize);
    }

    [Theory]
    [InlineData(100_000, 19)]        // 100 kB/s × 3 s / 16 KiB = 18.3
    [InlineData(1_000_000, 184)]     // 1 MB/s × 3 s / 16 KiB = 183.1
    [InlineData(10_000_000, 500)]    // capped by max_out_request_queue
    [InlineData(0, 2)]               // never below the minimum
    public void The_queue_is_the_bandwidth_delay_product_over_request_queue_time(long rate, int expected)
    {
        var sizer = Steady();
        Assert.Equal(expected, sizer.Update(rate, ShortRtt, snubbed: false));
    }

    [Fact]
    public void A_round_trip_longer_than_request_queue_time_sets_the_delay()
    {
        var sizer = Steady();
        Assert.Equal(306, sizer.Update(1_000_000, TimeSpan.FromSeconds(5), snubbed: false)); // 1 MB/s × 5 s / 16 KiB = 305.2
    }

    [Fact]
    public void The_peers_reqq_and_the_settings_clamp_the_queue()
    {
        var sizer = Steady();
        sizer.PeerMaxRequests = 250;
        Assert.Equal(250, sizer.Update(10_000_000, ShortRtt, snubbed: false));
        var pack = new SettingsPack();
        pack.SetInt("max_out_request_queue", 50);
        pack.SetInt("request_queue_time", 1);
        var small = Steady(RequestQueueSettings.FromSettings(pack));
        Assert.Equal(50, small.Update(10_000_000, ShortRtt, snubbed: false));
        Assert.Equal(7, small.Update(100_000, ShortRtt, snubbed: false));   // 100 kB/s × 1 s / 16 KiB = 6.1
    }

    [Fact]
    public void A_snubbed_peer_gets_one_request_at_a_time()
    {
        var sizer = new RequestQueueSizer();
        Assert.Equal(1, sizer.Update(1_000_000, ShortRtt, snubbed: true));
        Assert.False(sizer.InSlowStart);
    }

    [Fact]
    public void Slow_start_ends_when_the_rate_stops_growing()
    {
        var sizer = new RequestQueueSizer();
        sizer.Update(100_000, ShortRtt, false);
        sizer.Update(200_000, ShortRtt, false);
        Assert.True(sizer.InSlowStart);
        sizer.Update(205_000, ShortRtt, false);
        Assert.False(sizer.InSlowStart);
    }

    [Fact]
    public void A_single_fast_high_latency_peer_fills_its_pipe()
    {
        // A 10 MB/s link with a 200 ms round trip needs about 122 blocks in flight.
        const double link = 10_000_000, rtt = 0.2, tick = 0.01;
        var sizer = new RequestQueueSizer();
        double carry = 0, secondBytes = 0, achieved = 0;
        for (int step = 1; step <= 1000; step++)
        {
            double rate = Math.Min(link, sizer.QueueSize * (double)PieceLayout.BlockSize / rtt);
            carry += rate * tick / PieceLayout.BlockSize;
            for (; carry >= 1; carry--) sizer.OnBlockReceived();
            secondBytes += rate * tick;
            if (step % 100 != 0) continue;
            achieved = secondBytes;
            sizer.Update((long)secondBytes, TimeSpan.FromSeconds(rtt), snubbed: false);
            secondBytes = 0;
        }
        Assert.True(achieved >= 0.99 * link, $"only {achieved:F0} B/s after 10 s");
        Assert.InRange(sizer.QueueSize, 122, 500);
    }
}
