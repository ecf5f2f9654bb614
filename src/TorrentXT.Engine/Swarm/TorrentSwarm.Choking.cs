// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Choking;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.Settings;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// Our choking of peers. The unchoke decisions are the <see cref="Choker"/>'s, made session-wide by
/// <see cref="UnchokeScheduler"/> every <c>unchoke_interval</c>; between rounds a peer that becomes
/// interested is unchoked at once while a slot is free (libtorrent does the same), and a peer that
/// loses interest gives its slot back. Choked peers get BEP 6's allowed-fast set.
/// </summary>
internal sealed partial class TorrentSwarm
{
    private int _unchoked;

    /// <summary>Peers of this torrent we do not choke.</summary>
    public int UnchokedCount { get { lock (_sync) return _unchoked; } }

    private void SetChokingLocked(PeerConnection p, bool choke, long now)
    {
        if (p.AmChoking == choke) return;
        p.AmChoking = choke;
        if (choke)
        {
            _unchoked--;
            _host.Unchoke.OnChoked();
            p.Optimistic = false;
            p.SendIdOnly(MessageKind.Choke);
            DropQueuedRequestsLocked(p);
        }
        else
        {
            _unchoked++;
            _host.Unchoke.OnUnchoked();
            p.LastUnchokeTicks = now;
            p.UploadedAtUnchoke = p.Up.Total;
            p.SendIdOnly(MessageKind.Unchoke);
        }
    }

    /// <summary>A connection closed: the slot it held is free.</summary>
    private void ForgetChokingLocked(PeerConnection p)
    {
        if (p.AmChoking) return;
        p.AmChoking = true;
        _unchoked--;
        _host.Unchoke.OnChoked();
    }

    private void OnPeerInterestedLocked(PeerConnection p)
    {
        if (!p.AmChoking || _picker is null) return;
        if (_unchoked >= Torrent.MaxUploads || !_host.Unchoke.TryReserveSlot()) return;
        SetChokingLocked(p, choke: false, Environment.TickCount64);
        _host.Unchoke.ReleaseReservation();
    }

    private void OnPeerNotInterestedLocked(PeerConnection p)
    {
        if (p.AmChoking) return;
        SetChokingLocked(p, choke: true, Environment.TickCount64);
        _host.Unchoke.RequestRound();
    }

    /// <summary>BEP 6: the pieces a choked peer may still request from us, sent once after our have set.</summary>
    private void SendAllowedFastSetLocked(PeerConnection p)
    {
        if (!p.SupportsFast || _picker is null || p.AllowedFastOut.Count > 0) return;
        var hash = Torrent.InfoHashes.V1 ?? Torrent.InfoHashes.TruncatedV2!;
        int size = Settings.GetInt(SettingIds.AllowedFastSetSize);
        foreach (int piece in AllowedFastSet.Compute(p.Remote.Address, hash, _picker.PieceCount, size))
        {
            p.AllowedFastOut.Add(piece);
            p.SendAllowedFast(piece);
        }
    }

    /// <summary>Adds a snapshot of every peer to an unchoke round (ids are positions in <paramref name="peers"/>).</summary>
    public void CollectForChoker(int torrentId, List<PeerConnection> peers, List<TorrentSwarm> owners, List<ChokerPeer> snapshots)
    {
        lock (_sync)
        {
            if (_shutdown || _picker is null) return;
            bool seeding = _picker.IsFinished;
            long pieceLength = _picker.Layout.PieceLength;
            int maxUploads = Torrent.MaxUploads;
            foreach (var p in _peers)
            {
                snapshots.Add(new ChokerPeer
                {
                    Id = peers.Count,
                    Torrent = torrentId,
                    TorrentMaxUploads = maxUploads >= 16777215 ? 0 : maxUploads,
                    TorrentSeeding = seeding,
                    PieceLength = pieceLength,
                    Interested = p.PeerInterested && !p.IsClosed,
                    ChokedByUs = p.AmChoking,
                    IsOptimistic = p.Optimistic,
                    DownloadRate = seeding ? 0 : p.Down.Rate,
                    UploadRate = p.Up.Rate,
                    UploadedSinceUnchoke = p.AmChoking ? 0 : p.Up.Total - p.UploadedAtUnchoke,
                    LastUnchoke = p.LastUnchokeTicks < 0 ? null : TimeSpan.FromMilliseconds(p.LastUnchokeTicks),
                    LastOptimisticUnchoke = p.LastOptimisticTicks < 0 ? null : TimeSpan.FromMilliseconds(p.LastOptimisticTicks),
                    IsSnubbed = p.Snubbed,
                    Progress = p.PeerHasAll ? 1 : p.PeerHave is { Length: > 0 } h ? (double)h.Count / h.Length : 0,
                });
                peers.Add(p);
                owners.Add(this);
            }
        }
    }

    /// <summary>Applies an unchoke round's verdict to one of this torrent's peers.</summary>
    public void ApplyChoke(PeerConnection p, bool unchoke, bool optimistic, bool newlyOptimistic, long now)
    {
        lock (_sync)
        {
            if (_shutdown || p.IsClosed || !_peers.Contains(p)) return;
            SetChokingLocked(p, !unchoke, now);
            p.Optimistic = unchoke && optimistic;
            if (newlyOptimistic) p.LastOptimisticTicks = now;
        }
    }
}
