// SPDX-License-Identifier: MIT
using System.Net;

namespace TorrentXT.Engine.Trackers;

/// <summary>A tracker's successful answer to an announce.</summary>
public sealed class AnnounceResult
{
    /// <summary>Seconds until the next regular announce.</summary>
    public int Interval { get; init; } = 1800;
    /// <summary>Seconds the tracker wants at least between announces; 0 when it did not say.</summary>
    public int MinInterval { get; init; }
    public string? TrackerId { get; init; }
    /// <summary>Seeds and leechers according to the tracker; -1 when it did not say.</summary>
    public int Complete { get; init; } = -1;
    public int Incomplete { get; init; } = -1;
    public int Downloaded { get; init; } = -1;
    public string? Warning { get; init; }
    public List<IPEndPoint> Peers { get; init; } = new();
}

/// <summary>A tracker's answer to a scrape of one info-hash; -1 for counts it did not give.</summary>
public readonly record struct ScrapeResult(int Complete, int Incomplete, int Downloaded);
