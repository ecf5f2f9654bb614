// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Alerts;

namespace TorrentXT.Engine.Torrents;

/// <summary>What the swarm (peer connections) reads from and reports to a torrent.</summary>
public sealed partial class Torrent
{
    private int _numPeers, _numSeeds, _numConnections;
    private long _downloadRate, _uploadRate, _allTimeDownload, _allTimeUpload;

    /// <summary>Peers named by the magnet link (x.pe); the swarm connects to them.</summary>
    internal IReadOnlyList<IPEndPoint> InitialPeers { get; private init; } = Array.Empty<IPEndPoint>();

    /// <summary>The swarm's counters, shown by <see cref="GetStatus"/>.</summary>
    internal void SetSwarmStats(int peers, int seeds, int connections, long downRate, long upRate, long allDown, long allUp)
    {
        lock (Sync)
        {
            _numPeers = peers; _numSeeds = seeds; _numConnections = connections;
            _downloadRate = downRate; _uploadRate = upRate;
            _allTimeDownload = _resumedDownload + allDown; _allTimeUpload = _resumedUpload + allUp;
        }
    }

    /// <summary>True once the files were checked and the have-bitfield is meaningful.</summary>
    internal bool IsReadyForPeers
    {
        get
        {
            lock (Sync)
                return Info is not null && !Removed && !_moving
                       && _state is TorrentState.Downloading or TorrentState.Finished or TorrentState.Seeding;
        }
    }

    internal bool HasPiece(int piece)
    {
        lock (Sync) return _have is not null && (uint)piece < (uint)_have.Length && _have[piece];
    }

    /// <summary>
    /// A downloaded piece passed its hash check: it becomes present, pieceFinished is posted and the
    /// torrent becomes finished/seeding when nothing wanted is missing. Returns false if it was already there.
    /// </summary>
    internal bool OnPieceVerified(int piece)
    {
        lock (Sync)
        {
            if (_have is null || Removed || _have[piece]) return false;
            SetHaveLocked(piece, true);
            Post(new PieceFinishedAlert(this, piece));
            if (_state == TorrentState.Downloading && (AllWantedPresentLocked() || _have.AllSet))
                SettleDownloadStateLocked(announceFinished: true);
            else if (_state == TorrentState.Finished && _have.AllSet)
                SettleDownloadStateLocked(announceFinished: true);
            return true;
        }
    }
}

public sealed partial class Torrent
{
    /// <summary>The connected peers (after their handshake), in connection order.</summary>
    public IReadOnlyList<PeerInfo> PeerList() => Session.Swarm.PeersOf(this);

    /// <summary>
    /// Peers found by a tracker, the DHT, LSD or resume data: the swarm dials them (subject to the
    /// connection limits and the IP filter). The one entry point every peer source feeds.
    /// </summary>
    public void AddPeers(IEnumerable<IPEndPoint> peers, PeerSource source) => Session.Swarm.AddPeers(this, peers, source);
}
