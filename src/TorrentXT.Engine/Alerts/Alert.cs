// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Alerts;

/// <summary>
/// Something the engine reports. Alerts are immutable; <see cref="Torrent"/> is the torrent they
/// concern (null for session-wide ones). <see cref="Droppable"/> kinds are high-volume and are the
/// first to go when the queue is full; the rest are never dropped while droppable ones remain.
/// </summary>
public abstract record Alert(Torrent? Torrent)
{
    public abstract AlertCategory Category { get; }
    public virtual bool Droppable => false;
    /// <summary>The torrent's name when the alert was raised (for message texts after removal).</summary>
    public string TorrentName { get; init; } = Torrent?.DisplayName ?? "";
}

public sealed record TorrentAddedAlert(Torrent? Torrent, string Name, int ErrorCode = 0, string? ErrorMessage = null, string? ErrorCategory = null) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Status;
    public bool Failed => ErrorMessage is not null;
}

public sealed record MetadataReceivedAlert(Torrent Torrent) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Status;
}

public sealed record PieceFinishedAlert(Torrent Torrent, int Piece) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.PieceProgress;
    public override bool Droppable => true;
}

public sealed record TorrentFinishedAlert(Torrent Torrent) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Status;
}

public sealed record TorrentErrorAlert(Torrent Torrent, int ErrorCode, string ErrorMessage) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Error | AlertCategory.Status;
}

public sealed record StateChangedAlert(Torrent Torrent, TorrentState State, TorrentState PreviousState) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Status;
}

public sealed record TorrentRemovedAlert(Torrent Torrent, InfoHashes InfoHashes) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Status;
}

public sealed record TorrentPausedAlert(Torrent Torrent) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Status;
}

public sealed record TorrentResumedAlert(Torrent Torrent) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Status;
}

public sealed record FileCompletedAlert(Torrent Torrent, int FileIndex) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.FileProgress;
    public override bool Droppable => true;
}

public sealed record FileErrorAlert(Torrent Torrent, int ErrorCode, string ErrorMessage, string? Path = null) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Error | AlertCategory.Storage;
}

/// <summary>Session statistics, consumed by the ABI layer (DHT counters); never surfaced as a record.</summary>
public sealed record SessionStatsAlert(int DhtNodes, int DhtNodeCache, int DhtTorrents, long DhtGlobalNodes) : Alert((Torrent?)null)
{
    public override AlertCategory Category => AlertCategory.None;
    public override bool Droppable => true;
}

/// <summary>A listen socket is open (one per socket, as libtorrent reports them).</summary>
public sealed record ListenSucceededAlert(System.Net.IPEndPoint Endpoint, string SocketType) : Alert((Torrent?)null)
{
    public override AlertCategory Category => AlertCategory.Status;
}

/// <summary>A listen socket could not be opened; <see cref="Endpoint"/> is the entry as configured.</summary>
public sealed record ListenFailedAlert(string Endpoint, int ErrorCode, string ErrorMessage) : Alert((Torrent?)null)
{
    public override AlertCategory Category => AlertCategory.Status | AlertCategory.Error;
}
