// SPDX-License-Identifier: MIT
using System.Buffers;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.Picking;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>What the swarm does with each message a peer sends (called from that peer's receive loop).</summary>
internal sealed partial class TorrentSwarm
{
    // Peers whose ut_metadata blocks went into the current assembly.
    private readonly HashSet<PeerConnection> _metadataSenders = new();

    public void OnMessage(PeerConnection p, PeerMessage m)
    {
        if (OnHashMessage(p, m)) return; // BEP 52: TorrentSwarm.Hashes.cs
        switch (m.Kind)
        {
            case MessageKind.Extended:
                OnExtended(p, m.ExtendedId, m.Payload);
                return;
            case MessageKind.Request:
                OnRequest(p, m.Index, m.Begin, m.Length);
                return;
        }
        lock (_sync)
        {
            switch (m.Kind)
            {
                case MessageKind.Choke:
                    p.PeerChoking = true;
                    // Without the fast extension a choke drops every request. With it the peer
                    // rejects what it will not serve, and may still serve allowed-fast requests.
                    if (!p.SupportsFast) ReleaseRequestsLocked(p, timedOut: false);
                    break;
                case MessageKind.Unchoke:
                    p.PeerChoking = false;
                    break;
                case MessageKind.Interested:
                    p.PeerInterested = true;
                    OnPeerInterestedLocked(p);
                    break;
                case MessageKind.NotInterested:
                    p.PeerInterested = false;
                    OnPeerNotInterestedLocked(p);
                    break;
                case MessageKind.Have:
                    OnHaveLocked(p, m.Index);
                    break;
                case MessageKind.Bitfield:
                    // A bitfield after HAVE NONE or after an earlier bitfield is accepted as the pieces it
                    // adds, like libtorrent does: aria2 sends a fresh bitfield in place of HAVEs.
                    if (p.PeerHasAll) break;
                    OnBitfieldLocked(p, m.Payload);
                    AskForLayersSoonLocked();
                    break;
                case MessageKind.HaveAll:
                    OnHaveAllLocked(p);
                    AskForLayersSoonLocked();
                    break;
                case MessageKind.HaveNone:
                    CountPeerLocked(p);
                    break;
                case MessageKind.RejectRequest:
                    {
                        var r = new BlockRequest(m.Index, m.Begin, m.Length);
                        if (RemoveRequest(p, r)) _picker?.OnRequestRejected(p, r);
                        break;
                    }
                case MessageKind.AllowedFast:
                    // Honoured for pieces of this torrent, a bounded number per peer.
                    if (m.Index >= 0 && (_picker is null || m.Index < _picker.PieceCount)
                        && p.AllowedFastIn.Count < MaxAllowedFastIn && !p.AllowedFastIn.Contains(m.Index))
                        p.AllowedFastIn.Add(m.Index);
                    break;
                case MessageKind.Suggest:
                    if (_picker is not null && (uint)m.Index < (uint)_picker.PieceCount && !p.Suggested.Contains(m.Index))
                    {
                        if (p.Suggested.Count >= MaxSuggested) p.Suggested.RemoveAt(0);
                        p.Suggested.Add(m.Index);
                    }
                    break;
                case MessageKind.Cancel:
                    // Only requests still being read can be cancelled; the set empties when none are.
                    if (p.ServingRequests > 0 && p.Cancelled.Count < MaxServing) p.Cancelled.Add((m.Index, m.Begin));
                    return;
                default:
                    return; // keep-alive, port, v2 hashes: nothing to do here
            }
            if (_superSeeder is not null && m.Kind is MessageKind.Have or MessageKind.Bitfield or MessageKind.HaveAll)
                OnSuperSeedPeerHasLocked(p, m.Kind, m.Index);
            UpdateInterestLocked(p);
            FillRequestsLocked(p);
        }
    }

    private const int MaxAllowedFastIn = 32, MaxSuggested = 16;

    private void OnHaveLocked(PeerConnection p, int piece)
    {
        if (_picker is null)
        {
            // A have must name a real piece, also before the swarm's storage is up.
            if ((uint)piece >= (uint)(Torrent.Info?.Files.NumPieces ?? int.MaxValue))
                throw new PeerWireException(PeerWireError.InvalidMessageField, "have index out of range");
            if (p.EarlyHaves.Count < 1_000_000) p.EarlyHaves.Add(piece);
            return;
        }
        if ((uint)piece >= (uint)_picker.PieceCount) throw new PeerWireException(PeerWireError.InvalidMessageField, "have index out of range");
        if (p.PeerHasAll) return;
        CountPeerLocked(p);
        var have = p.PeerHave!;
        if (have[piece]) return;
        have.Set(piece, true);
        _picker.OnPeerHave(p, piece);
    }

    private void OnBitfieldLocked(PeerConnection p, ReadOnlySpan<byte> bits)
    {
        if (!p.CountedByPicker || _picker is null)
        {
            p.PeerBitfieldRaw = bits.ToArray();
            p.PeerHave = null;
            CountPeerLocked(p);
            return;
        }
        // Counted already (the picker started while this peer's have set was still on its way):
        // add its pieces one by one, as HAVEs.
        var have = p.PeerHave!;
        for (int i = 0; i < have.Length && (i >> 3) < bits.Length; i++)
            if ((bits[i >> 3] & (0x80 >> (i & 7))) != 0 && !have[i]) { have.Set(i, true); _picker.OnPeerHave(p, i); }
    }

    private void OnHaveAllLocked(PeerConnection p)
    {
        if (p.PeerHasAll) return;
        if (p.CountedByPicker && _picker is not null)
        {
            // Already counted piece by piece: add the pieces it lacked one by one, so its departure
            // takes back exactly what it added.
            var have = p.PeerHave!;
            for (int i = 0; i < have.Length; i++)
                if (!have[i]) { have.Set(i, true); _picker.OnPeerHave(p, i); }
            return;
        }
        p.PeerHasAll = true;
        CountPeerLocked(p);
    }

    // ---- BEP 10 / BEP 9 ------------------------------------------------------------------------

    private void OnExtended(PeerConnection p, byte id, ReadOnlySpan<byte> payload)
    {
        if (id == 0)
        {
            var hs = ExtensionHandshake.Decode(payload);
            // A metadata size beyond what we would ever accept is a lie (or an attack on our memory).
            if (hs.MetadataSize > Settings.GetInt(SettingIds.MaxMetadataSize))
                throw new PeerWireException(PeerWireError.InvalidMetadataSize, $"metadata size {hs.MetadataSize} above the limit");
            lock (_sync)
            {
                p.PeerUtMetadataId = hs.IdOf(UtMetadata.ExtensionName);
                p.PeerMetadataSize = hs.MetadataSize ?? 0;
                p.PeerClient = hs.ClientName;
                p.PeerUtPexId = hs.IdOf(PexMessage.ExtensionName);
                if (hs.RequestQueue is int reqq and > 0) p.Sizer.PeerMaxRequests = reqq;
                if (hs.UploadOnly is bool uploadOnly) p.PeerUploadOnly = uploadOnly;
                RequestMetadataLocked(p);
            }
            // An incoming peer tells us where it listens: worth dialling again later.
            if (p.Incoming && hs.ListenPort is int port and > 0 and < 65536)
            {
                var listen = new System.Net.IPEndPoint(p.Remote.Address, port);
                Learn(listen, PeerSource.Incoming);
                lock (_sync)
                {
                    p.ListenEndpoint = listen;
                    _peerList.OnIncoming(listen);
                }
            }
            return;
        }
        if (id == PeerConnection.OurUtPexId)
        {
            if ((Torrent.Flags & TorrentFlags.DisablePex) != 0) return;
            var pex = PexMessage.Decode(payload);
            foreach (var added in pex.Added) Learn(added.Endpoint, PeerSource.Pex);
            return;
        }
        if (id != PeerConnection.OurUtMetadataId) return;
        var msg = UtMetadata.Decode(payload.ToArray());
        switch (msg.Type)
        {
            case MetadataMessageType.Request:
                if (p.PeerUtMetadataId == 0) return;
                if (Torrent.Info is { } info && msg.Piece >= 0 && msg.Piece < UtMetadata.PieceCount(info.InfoBytes.Length))
                {
                    var bytes = info.InfoBytes;
                    int at = msg.Piece * UtMetadata.BlockSize;
                    int len = UtMetadata.PieceSize(bytes.Length, msg.Piece);
                    p.SendExtended(p.PeerUtMetadataId, UtMetadata.EncodeData(msg.Piece, bytes.Length, bytes.Span.Slice(at, len)));
                }
                else p.SendExtended(p.PeerUtMetadataId, UtMetadata.EncodeReject(msg.Piece));
                return;
            case MetadataMessageType.Data:
                OnMetadataData(p, msg);
                return;
        }
    }

    private void RequestMetadataLocked(PeerConnection p)
    {
        if (Torrent.HasMetadata || p.PeerUtMetadataId == 0 || p.PeerMetadataSize <= 0) return;
        _assembler ??= new MetadataAssembler(Torrent.InfoHashes, p.PeerMetadataSize, Settings.GetInt(SettingIds.MaxMetadataSize));
        if (_assembler.TotalSize != p.PeerMetadataSize) return;
        for (int i = 0; i < _assembler.PieceCount; i++)
            if (_assembler.IsMissing(i)) p.SendExtended(p.PeerUtMetadataId, UtMetadata.EncodeRequest(i));
    }

    private void OnMetadataData(PeerConnection p, MetadataMessage msg)
    {
        byte[]? complete = null;
        bool mismatch = false;
        lock (_sync)
        {
            if (_assembler is null || Torrent.HasMetadata) return;
            _metadataSenders.Add(p);
            var result = _assembler.Add(msg);
            if (result == MetadataBlockResult.Complete) { complete = _assembler.InfoBytes.ToArray(); _metadataSenders.Clear(); }
            else if (result == MetadataBlockResult.HashMismatch)
            {
                // Some peer sent a wrong info dict (or claimed a wrong size). A sole sender is the
                // liar and is dropped; then start over, sized by the other peers.
                mismatch = _metadataSenders.Count == 1;
                _metadataSenders.Clear();
                _assembler = null;
                foreach (var q in _peers) if (q != p || !mismatch) RequestMetadataLocked(q);
            }
        }
        if (mismatch) p.Close();
        if (complete is null) return;
        var info = TorrentInfo.FromInfoDictionary(complete);
        if (!Torrent.SetMetadata(info)) return;
        // A v2 or hybrid magnet asks for its piece layers now, while the peers still count it as a
        // downloader: a small hybrid can finish on its v1 hashes before the next tick, and a seed
        // then closes the connection as redundant unless we have asked it for hashes.
        lock (_sync) AskForLayersSoonLocked();
    }
}
