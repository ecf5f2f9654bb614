// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Alerts;

/// <summary>
/// The session's bounded alert queue. Posting filters by the live alert mask. When the queue is
/// full the oldest droppable alert (piece/file progress, statistics) makes room; important alerts
/// are only dropped when nothing droppable is left, and every drop is counted.
/// </summary>
public sealed class AlertQueue
{
    private readonly object _sync = new();
    private readonly LinkedList<Alert> _queue = new();
    private readonly Func<uint> _mask;
    private readonly Func<int> _capacity;
    private readonly Func<bool> _maskIsDefault;
    private long _dropped;

    /// <param name="mask">the live <c>alert_mask</c></param>
    /// <param name="capacity">the live <c>alert_queue_size</c></param>
    /// <param name="maskIsDefault">
    /// true while the app has not set <c>alert_mask</c> itself: progress alerts are then on although
    /// the default mask (3673) reads back without their bits (contract §9.0 D1). Once the app sets
    /// any mask, that mask alone decides.
    /// </param>
    public AlertQueue(Func<uint> mask, Func<int> capacity, Func<bool>? maskIsDefault = null)
    {
        _mask = mask;
        _capacity = capacity;
        _maskIsDefault = maskIsDefault ?? (() => true);
    }

    /// <summary>How many alerts were dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int Count { get { lock (_sync) return _queue.Count; } }

    /// <summary>Whether an alert of this category would be queued under the current mask.</summary>
    public bool Wants(AlertCategory category)
    {
        if (category == AlertCategory.None) return true;
        uint mask = _mask();
        if (_maskIsDefault()) mask |= (uint)(AlertCategory.FileProgress | AlertCategory.PieceProgress);
        return (mask & (uint)category) != 0;
    }

    public void Post(Alert alert)
    {
        if (!Wants(alert.Category)) return;
        lock (_sync)
        {
            int capacity = Math.Max(1, _capacity());
            while (_queue.Count >= capacity)
            {
                if (!DropOldest(droppableOnly: true))
                {
                    if (alert.Droppable) { _dropped++; return; }
                    DropOldest(droppableOnly: false);
                }
            }
            _queue.AddLast(alert);
        }
    }

    /// <summary>Moves every pending alert, oldest first, into <paramref name="into"/>.</summary>
    public void DrainTo(List<Alert> into)
    {
        lock (_sync)
        {
            into.AddRange(_queue);
            _queue.Clear();
        }
    }

    private bool DropOldest(bool droppableOnly)
    {
        for (var node = _queue.First; node is not null; node = node.Next)
        {
            if (droppableOnly && !node.Value.Droppable) continue;
            _queue.Remove(node);
            _dropped++;
            return true;
        }
        return false;
    }
}
