// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Alerts;

/// <summary>A tracker answered an announce with <see cref="NumPeers"/> peers.</summary>
public sealed record TrackerReplyAlert(Torrent Torrent, string Url, int NumPeers) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Tracker;
}

/// <summary>An announce or scrape failed; <see cref="TimesInRow"/> counts consecutive failures of this tracker.</summary>
public sealed record TrackerErrorAlert(Torrent Torrent, string Url, int ErrorCode, string ErrorMessage, int TimesInRow) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Tracker | AlertCategory.Error;
}

/// <summary>A scrape answered with the swarm's seed and leecher counts (-1 when not given).</summary>
public sealed record ScrapeReplyAlert(Torrent Torrent, string Url, int Complete, int Incomplete, string LocalEndpoint) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Tracker;
}
