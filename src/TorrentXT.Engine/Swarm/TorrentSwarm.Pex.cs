// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// BEP 11 peer exchange (sending side; received messages feed <see cref="Learn"/>) and upload-only:
/// every peer that speaks ut_pex gets, about once a minute (the first one a second after it
/// connected), the peers we are connected to that it was not told about yet and the ones that left
/// since. A torrent with <c>disable_pex</c> sends and takes nothing. When we become finished we say
/// so with a new extension handshake carrying upload_only, and (with close_redundant_connections)
/// drop connections to peers that have nothing for us and want nothing from us.
/// </summary>
internal sealed partial class TorrentSwarm
{
    private const long PexIntervalMs = 60_000, FirstPexMs = 1_000;
    private bool _announcedUploadOnly;

    /// <summary>Where each connected peer can be dialled: its own listen address for incoming ones.</summary>
    private IPEndPoint? DialableLocked(PeerConnection p) => p.Incoming ? p.ListenEndpoint : p.Remote;

    private void SendPexLocked(long now)
    {
        if ((Torrent.Flags & TorrentFlags.DisablePex) != 0) return;
        HashSet<IPEndPoint>? current = null;
        foreach (var p in _peers)
        {
            if (p.PeerUtPexId == 0 || p.IsClosed) continue;
            long since = p.PexSentTicks == 0 ? now - p.ConnectedTicks : now - p.PexSentTicks;
            if (since < (p.PexSentTicks == 0 ? FirstPexMs : PexIntervalMs)) continue;
            current ??= CurrentPeersLocked();
            var msg = new PexMessage();
            var last = p.PexLast ??= new HashSet<IPEndPoint>();
            var self = DialableLocked(p);
            foreach (var q in _peers)
            {
                if (msg.Added.Count >= PexMessage.MaxPeersPerMessage) break;
                var ep = DialableLocked(q);
                if (ep is null || q == p || ep.Equals(self) || last.Contains(ep)) continue;
                var flags = q.Incoming ? PexFlags.None : PexFlags.Reachable;
                if (q.IsSeed || q.PeerUploadOnly) flags |= PexFlags.Seed;
                msg.Added.Add(new PexPeer(ep, flags));
            }
            foreach (var ep in last)
            {
                if (msg.Dropped.Count >= PexMessage.MaxPeersPerMessage) break;
                if (!current.Contains(ep)) msg.Dropped.Add(ep);
            }
            p.PexSentTicks = now;
            if (msg.Added.Count == 0 && msg.Dropped.Count == 0) continue;
            foreach (var a in msg.Added) last.Add(a.Endpoint);
            foreach (var d in msg.Dropped) last.Remove(d);
            p.SendExtended(p.PeerUtPexId, msg.Encode());
        }
    }

    private HashSet<IPEndPoint> CurrentPeersLocked()
    {
        var set = new HashSet<IPEndPoint>();
        foreach (var q in _peers)
            if (DialableLocked(q) is { } ep) set.Add(ep);
        return set;
    }

    /// <summary>Our extension handshake: client name, extensions, metadata size, listen port, upload-only.</summary>
    private byte[] ExtensionHandshakeLocked()
    {
        var hs = new ExtensionHandshake { ClientName = SwarmHost.ClientName, RequestQueue = 2000 };
        hs.Messages[UtMetadata.ExtensionName] = PeerConnection.OurUtMetadataId;
        if ((Torrent.Flags & TorrentFlags.DisablePex) == 0) hs.Messages[PexMessage.ExtensionName] = PeerConnection.OurUtPexId;
        if (Torrent.Info is { } info) hs.MetadataSize = info.InfoBytes.Length;
        int port = Torrent.Session.ListenPort;
        if (port > 0) hs.ListenPort = port;
        if (_picker is { IsFinished: true } && !SuperSeedingWanted) hs.UploadOnly = true;
        return hs.Encode();
    }

    /// <summary>Once finished: tells every peer we only upload now, and closes redundant connections.</summary>
    private void OnFinishedStateLocked(List<PeerConnection> close)
    {
        if (_picker is null) return;
        bool finished = _picker.IsFinished;
        if (finished && !_announcedUploadOnly)
        {
            _announcedUploadOnly = true;
            byte[] hs = ExtensionHandshakeLocked();
            foreach (var p in _peers)
                if (p.SupportsExtensions) p.SendExtended(0, hs);
        }
        else if (!finished)
        {
            _announcedUploadOnly = false;
            // Wanting data again (a file's priority raised): peers dropped only as redundant are
            // dialled at once, not after min_reconnect_time.
            if (_redundant.Count > 0) _peerList.ForgetAttempts();
            _redundant.Clear();
        }
        if (!finished || !Settings.GetBool(SettingIds.CloseRedundantConnections)) return;
        // A hybrid fetched by magnet still asks seeds for its piece layers (BEP 52), which it needs
        // to serve v2 peers: those connections are not redundant yet.
        if (Torrent.Info is { HasV2: true, HasPieceLayers: false }) return;
        long now = Environment.TickCount64;
        foreach (var p in _peers)
        {
            if ((!p.IsSeed && !p.PeerUploadOnly) || p.PeerInterested) continue;
            // A finished hybrid fetched by magnet may still be asking it for piece layers.
            if (p.LastHashRequestIn != 0 && now - p.LastHashRequestIn < RedundantHashGraceMs) continue;
            close.Add(p);
            // Not dialled again while we are finished (libtorrent's peer list remembers seeds too).
            if (DialableLocked(p) is { } ep) _redundant.Add(ep);
        }
    }

    private readonly HashSet<IPEndPoint> _redundant = new();
    private const long RedundantHashGraceMs = 30_000;
}
