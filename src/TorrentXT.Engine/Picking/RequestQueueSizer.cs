// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>
/// How many block requests to keep outstanding to one peer: the bandwidth-delay product.
/// <c>queue = max(MinRequestQueue, rate × max(request_queue_time, rtt) / 16 KiB)</c>, clamped to
/// <c>max_out_request_queue</c> and to the peer's own <c>reqq</c> (from its extension handshake).
/// A new peer has no measured rate yet, so the queue starts in slow start: it grows by one for
/// every block received (doubling per round trip, like TCP) until a tick shows the rate no longer
/// growing; a single fast, high-latency peer thus still fills its pipe. A snubbed peer gets one.
/// One instance per peer connection; not thread-safe.
/// </summary>
public sealed class RequestQueueSizer
{
    private readonly RequestQueueSettings _settings;
    private int _slowStartQueue;
    private long _previousRate = -1;
    private int _peerMaxRequests;

    public RequestQueueSizer(RequestQueueSettings? settings = null)
    {
        _settings = settings ?? RequestQueueSettings.Default;
        _slowStartQueue = Math.Max(1, _settings.InitialRequestQueue);
        QueueSize = Clamp(_slowStartQueue);
    }

    /// <summary>The number of requests to keep outstanding right now.</summary>
    public int QueueSize { get; private set; }

    public bool InSlowStart { get; private set; } = true;

    /// <summary>The peer's <c>reqq</c> from its extension handshake; 0 while unknown (no clamp).</summary>
    public int PeerMaxRequests
    {
        get => _peerMaxRequests;
        set
        {
            _peerMaxRequests = Math.Max(0, value);
            QueueSize = Clamp(QueueSize);
        }
    }

    /// <summary>A block arrived: in slow start, the queue grows by one.</summary>
    public void OnBlockReceived()
    {
        if (!InSlowStart) return;
        _slowStartQueue = Math.Min(_slowStartQueue + 1, _settings.MaxOutRequestQueue);
        QueueSize = Clamp(Math.Max(QueueSize, _slowStartQueue));
    }

    /// <summary>
    /// Recomputes the queue from the peer's current download rate (bytes per second, measured over
    /// the last tick) and round-trip time. Call about once a second; returns <see cref="QueueSize"/>.
    /// </summary>
    public int Update(long downloadRate, TimeSpan roundTrip, bool snubbed)
    {
        if (snubbed)
        {
            // Ask a stalled peer for one block at a time until it proves itself again.
            InSlowStart = false;
            _previousRate = downloadRate;
            return QueueSize = 1;
        }
        if (InSlowStart && _previousRate > 0 && downloadRate < _previousRate * _settings.SlowStartGrowth)
            InSlowStart = false;
        _previousRate = downloadRate;

        var latency = roundTrip > _settings.RequestQueueTime ? roundTrip : _settings.RequestQueueTime;
        double bytesInFlight = Math.Max(0, downloadRate) * latency.TotalSeconds;
        long bdp = (long)Math.Ceiling(bytesInFlight / PieceLayout.BlockSize);
        long target = Math.Max(_settings.MinRequestQueue, bdp);
        if (InSlowStart) target = Math.Max(target, _slowStartQueue);
        return QueueSize = Clamp((int)Math.Min(target, int.MaxValue));
    }

    private int Clamp(int queue)
    {
        int max = _settings.MaxOutRequestQueue;
        if (PeerMaxRequests > 0) max = Math.Min(max, PeerMaxRequests);
        return Math.Clamp(queue, 1, Math.Max(1, max));
    }
}
