// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Tests.RateLimiting;

/// <summary>A clock that only moves when told to; timers fire synchronously, in due order, as
/// <see cref="Advance"/> passes their due time.</summary>
internal sealed class FakeTimeProvider : TimeProvider
{
    private readonly List<FakeTimer> _timers = new();

    public long Now { get; private set; }
    public int TimerChanges { get; private set; }
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => Now;
    public IReadOnlyList<FakeTimer> Timers => _timers;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        long target = Now + by.Ticks;
        while (true)
        {
            FakeTimer? next = null;
            foreach (var t in _timers)
                if (t.Due is long due && due <= target && (next is null || due < next.Due)) next = t;
            if (next is null) break;
            Now = Math.Max(Now, next.Due!.Value);
            next.Fire();
        }
        Now = target;
    }

    internal sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? Due { get; private set; }
        public int Fired { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (period != Timeout.InfiniteTimeSpan) throw new NotSupportedException("periodic timers are not used");
            owner.TimerChanges++;
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner.Now + dueTime.Ticks;
            return true;
        }

        public void Fire()
        {
            Due = null;
            Fired++;
            callback(state);
        }

        public void Dispose() => Due = null;
        public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
    }
}
