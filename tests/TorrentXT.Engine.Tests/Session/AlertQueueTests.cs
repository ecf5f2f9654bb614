// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using Xunit;

namespace TorrentXT.Engine.Tests.Session;

public class AlertQueueTests
{
    private static AlertQueue Queue(uint mask = 3673, int capacity = 2000, bool maskIsDefault = true) =>
        new(() => mask, () => capacity, () => maskIsDefault);

    [Fact]
    public void Alerts_come_out_in_the_order_they_were_posted()
    {
        var q = Queue();
        q.Post(new SessionStatsAlert(1, 0, 0, 0));
        q.Post(new SessionStatsAlert(2, 0, 0, 0));
        var got = new List<Alert>();
        q.DrainTo(got);
        Assert.Equal(new[] { 1, 2 }, got.Cast<SessionStatsAlert>().Select(a => a.DhtNodes));
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public void The_default_mask_lets_progress_alerts_through_as_decision_D1_says()
    {
        Assert.True(Queue(3673).Wants(AlertCategory.PieceProgress));
        Assert.True(Queue(3673).Wants(AlertCategory.FileProgress));
    }

    [Fact]
    public void An_app_mask_without_progress_bits_silences_them()
    {
        Assert.False(Queue(3673, maskIsDefault: false).Wants(AlertCategory.PieceProgress)); // set explicitly, even to 3673
        var q = Queue(1, maskIsDefault: false);
        Assert.False(q.Wants(AlertCategory.PieceProgress));
        Assert.True(q.Wants(AlertCategory.Error));
        Assert.True(q.Wants(AlertCategory.None)); // statistics always pass
    }

    [Fact]
    public void A_full_queue_drops_droppable_alerts_first_and_counts_every_drop()
    {
        var q = Queue(capacity: 2);
        q.Post(new SessionStatsAlert(1, 0, 0, 0));                 // droppable
        q.Post(new SessionStatsAlert(2, 0, 0, 0));                 // droppable
        q.Post(new FileErrorAlert(null!, 5, "disk"));              // important: evicts the oldest droppable
        var got = new List<Alert>();
        q.DrainTo(got);
        Assert.Equal(2, got.Count);
        Assert.IsType<SessionStatsAlert>(got[0]);
        Assert.Equal(2, ((SessionStatsAlert)got[0]).DhtNodes);
        Assert.IsType<FileErrorAlert>(got[1]);
        Assert.Equal(1, q.Dropped);
    }

    [Fact]
    public void Important_alerts_are_dropped_only_when_nothing_droppable_is_left()
    {
        var q = Queue(capacity: 1);
        q.Post(new FileErrorAlert(null!, 1, "a"));
        q.Post(new SessionStatsAlert(9, 0, 0, 0)); // droppable newcomer is the one dropped
        var got = new List<Alert>();
        q.DrainTo(got);
        Assert.Single(got);
        Assert.IsType<FileErrorAlert>(got[0]);
        Assert.Equal(1, q.Dropped);
    }
}
