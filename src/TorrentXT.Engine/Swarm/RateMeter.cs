// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Swarm;

/// <summary>Payload byte counter with a rate smoothed over the swarm's ticks.</summary>
internal sealed class RateMeter
{
    private long _total, _lastTotal, _lastTicks = Environment.TickCount64;

    public long Total => Interlocked.Read(ref _total);
    public long Rate { get; private set; }

    public void Add(int bytes) => Interlocked.Add(ref _total, bytes);

    /// <summary>Called once per tick: the rate is the mean over the last interval, blended with the previous rate.</summary>
    public void Tick(long nowTicks)
    {
        long total = Total, ms = Math.Max(1, nowTicks - _lastTicks);
        long instant = (total - _lastTotal) * 1000 / ms;
        Rate = (Rate + instant * 3) / 4;
        _lastTotal = total;
        _lastTicks = nowTicks;
    }
}
