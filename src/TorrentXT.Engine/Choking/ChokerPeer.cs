// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Choking;

/// <summary>What the choker needs to know about one peer at one unchoke round. Times are on the
/// caller's monotonic clock, the same one as the "now" passed to <see cref="Choker.Decide"/>.</summary>
public readonly record struct ChokerPeer
{
    /// <summary>The caller's identifier for the peer; decisions name peers by it.</summary>
    public int Id { get; init; }

    /// <summary>The caller's identifier for the peer's torrent (for per-torrent upload limits).</summary>
    public int Torrent { get; init; }

    /// <summary>Most regular slots this peer's torrent may hold (libtorrent's per-torrent
    /// max uploads); 0 or less = unlimited. Optimistic unchokes do not count against it.</summary>
    public int TorrentMaxUploads { get; init; }

    /// <summary>We have the whole torrent (or everything we want): rank by the seed algorithm.</summary>
    public bool TorrentSeeding { get; init; }

    /// <summary>The torrent's piece length, for the round-robin quota.</summary>
    public long PieceLength { get; init; }

    /// <summary>The peer is interested in us; only interested peers are unchoked.</summary>
    public bool Interested { get; init; }

    /// <summary>We currently choke the peer.</summary>
    public bool ChokedByUs { get; init; }

    /// <summary>The peer currently holds an optimistic slot.</summary>
    public bool IsOptimistic { get; init; }

    /// <summary>Bytes per second the peer sends us (tit-for-tat).</summary>
    public long DownloadRate { get; init; }

    /// <summary>Bytes per second we send the peer.</summary>
    public long UploadRate { get; init; }

    /// <summary>Bytes we sent the peer since we last unchoked it.</summary>
    public long UploadedSinceUnchoke { get; init; }

    /// <summary>When we last unchoked the peer; null if never.</summary>
    public TimeSpan? LastUnchoke { get; init; }

    /// <summary>When the peer last got an optimistic slot; null if never.</summary>
    public TimeSpan? LastOptimisticUnchoke { get; init; }

    /// <summary>The peer stopped sending data it owes us.</summary>
    public bool IsSnubbed { get; init; }

    /// <summary>How much of the torrent the peer has, 0 to 1 (for anti-leech).</summary>
    public double Progress { get; init; }
}
