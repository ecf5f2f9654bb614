// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Trackers;

/// <summary>The announce state of one tracker of one torrent; guarded by its <see cref="TorrentAnnouncer"/>'s lock.</summary>
internal sealed class AnnounceTracker(string url, int tier)
{
    public string Url { get; } = url;
    public int Tier { get; } = tier;
    /// <summary>When the next announce is due (Environment.TickCount64 ms); 0 = now.</summary>
    public long NextMs { get; set; }
    public long LastAnnounceMs { get; set; } = long.MinValue / 2;
    public int MinIntervalMs { get; set; }
    /// <summary>Consecutive failures; 0 for a tracker that works or was not tried yet.</summary>
    public int Fails { get; set; }
    public bool Updating { get; set; }
    /// <summary>True once this tracker accepted our 'started': it is owed a 'stopped'.</summary>
    public bool StartSent { get; set; }
    public bool CompletedPending { get; set; }
    public string? TrackerId { get; set; }

    public bool IsUdp => Url.StartsWith("udp://", StringComparison.OrdinalIgnoreCase);
    public bool IsHttp => Url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                          || Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The wait after a failure: libtorrent's 5 s + 5 s x fails^2 x tracker_backoff %, at most an hour.</summary>
    public static long RetryDelayMs(int fails, int backoffPercent, int retryIn)
    {
        double seconds = 5 + 5.0 * fails * fails * Math.Max(0, backoffPercent) / 100.0;
        return (long)(Math.Min(3600, Math.Max(seconds, retryIn)) * 1000);
    }
}
