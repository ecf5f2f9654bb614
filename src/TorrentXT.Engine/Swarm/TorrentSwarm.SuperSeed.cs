// SPDX-License-Identifier: MIT
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// The torrent flag <c>super_seeding</c> (BEP 16, <see cref="SuperSeeder{TPeer}"/>). It only acts
/// while the torrent is a seed, like libtorrent's. Switched on, peers that connect from then on
/// see the super-seed view; peers already connected keep knowing everything. Switched off (or the
/// torrent stops being a seed), every peer in the super-seed view hears a HAVE for each piece it
/// was not told of: cheaper than reconnecting, and valid mid-connection where a second bitfield is not.
/// The rest of the swarm only pays a null check while the flag is off.
/// </summary>
internal sealed partial class TorrentSwarm
{
    private SuperSeeder<PeerConnection>? _superSeeder;
    private Func<int, int>? _availability;          // the picker's counts, one delegate per swarm
    private readonly List<int> _revealed = new();
    private readonly List<PeerConnection> _waiting = new();

    /// <summary>
    /// The flag is on and we are a seed. Then our extension handshake leaves out upload_only: a
    /// libtorrent peer drops an upload-only peer that has nothing it wants, which is just how a
    /// super-seed looks at first (libtorrent leaves it out when super-seeding too).
    /// </summary>
    private bool SuperSeedingWanted => (Torrent.Flags & TorrentFlags.SuperSeeding) != 0 && _picker is { IsSeed: true };

    /// <summary>Follows the flag and our seed state; on every tick and before each new peer's have set.</summary>
    private void SyncSuperSeedingLocked()
    {
        bool want = SuperSeedingWanted;
        if (want == (_superSeeder is not null)) return;
        if (want)
        {
            var picker = _picker!;
            _availability ??= piece => _picker?.Availability(piece) ?? 0;
            _superSeeder = new SuperSeeder<PeerConnection>(picker.PieceCount, new Random());
            return;
        }
        var seeder = _superSeeder!;
        _superSeeder = null;
        if (_picker is null) return;
        foreach (var p in _peers)
        {
            if (!seeder.Tracks(p)) continue;
            for (int i = 0; i < _picker.PieceCount; i++)
                if (_picker.HavePiece(i) && !seeder.WasRevealed(p, i)) p.SendHave(i);
            SendAllowedFastSetLocked(p);
        }
    }

    /// <summary>A new peer's have set while super-seeding: HAVE NONE, then the first reveals. False when
    /// not super-seeding (the caller sends the full have set).</summary>
    private bool SendSuperSeedHaveSetLocked(PeerConnection p)
    {
        SyncSuperSeedingLocked();
        if (_superSeeder is null) return false;
        _superSeeder.Add(p);
        // Without the fast extension, having nothing is said by sending no bitfield at all. No
        // allowed-fast set either: it would name pieces the peer was not told of.
        if (p.SupportsFast) p.SendIdOnly(MessageKind.HaveNone);
        RevealLocked(p);
        return true;
    }

    /// <summary>After a peer's HAVE, bitfield or HAVE ALL: retires what was passed on and reveals more.</summary>
    private void OnSuperSeedPeerHasLocked(PeerConnection p, MessageKind kind, int piece)
    {
        var seeder = _superSeeder!;
        _waiting.Clear();
        if (kind == MessageKind.Have) seeder.PeersWaitingOn(piece, p, _waiting);
        else foreach (var q in _peers) if (q != p && seeder.Tracks(q)) _waiting.Add(q); // once per peer: rare
        RevealLocked(p);
        foreach (var q in _waiting) RevealLocked(q);
    }

    private void RevealLocked(PeerConnection p)
    {
        _revealed.Clear();
        bool strict = Settings.GetBool(SettingIds.StrictSuperSeeding);
        _superSeeder!.Refresh(p, p.PeerHave, p.PeerHasAll, _availability!, strict, _revealed);
        foreach (int piece in _revealed) p.SendHave(piece);
    }
}
