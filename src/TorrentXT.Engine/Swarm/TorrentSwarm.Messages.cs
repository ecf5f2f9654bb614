// SPDX-License-Identifier: MIT
using System.Buffers;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>What the swarm does with each message a peer sends (called from that peer's receive loop).</summary>
internal sealed partial class TorrentSwarm
{
    public void OnMessage(PeerConnection p, PeerMessage m)
    {
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
                    // Without the fast extension a choke drops every request; with it the peer rejects
                    // each one, but releasing them now is harmless (a late block is still accepted).
                    foreach (var (piece, block) in p.Requests) _tracker?.Release(piece, block);
                    p.Requests.Clear();
                    break;
                case MessageKind.Unchoke:
                    p.PeerChoking = false;
                    break;
                case MessageKind.Interested:
                    p.PeerInterested = true;
                    break;
                case MessageKind.NotInterested:
                    p.PeerInterested = false;
                    break;
                case MessageKind.Have:
                    if (p.PeerHave is { } have)
                    {
                        if ((uint)m.Index >= (uint)have.Length) throw new PeerWireException(PeerWireError.InvalidMessageField, "have index out of range");
                        have.Set(m.Index, true);
                    }
                    else p.EarlyHaves.Add(m.Index);
                    break;
                case MessageKind.Bitfield:
                    p.PeerBitfieldRaw = m.Payload.ToArray();
                    if (_tracker is not null)
                    {
                        p.PeerHave = new Bitfield(_tracker.NumPieces);
                        for (int i = 0; i < _tracker.NumPieces && (i >> 3) < p.PeerBitfieldRaw.Length; i++)
                            if ((p.PeerBitfieldRaw[i >> 3] & (0x80 >> (i & 7))) != 0) p.PeerHave.Set(i, true);
                    }
                    break;
                case MessageKind.HaveAll:
                    p.PeerHasAll = true;
                    break;
                case MessageKind.RejectRequest:
                    {
                        int block = m.Begin / BlockTracker.BlockSize;
                        if (p.Requests.Remove((m.Index, block))) _tracker?.Release(m.Index, block);
                        break;
                    }
                default:
                    return; // keep-alive, have none, cancel, suggest, allowed fast, port, v2 hashes: nothing to do yet
            }
            if (p.PeerHave is null && _tracker is not null) p.PeerHave = new Bitfield(_tracker.NumPieces);
            if (p.PeerInterested && p.AmChoking && _tracker is not null && UnchokedCountLocked() < UnchokeSlots)
            {
                p.AmChoking = false;
                p.SendIdOnly(MessageKind.Unchoke);
            }
            UpdateInterestLocked(p);
            FillRequestsLocked(p);
        }
    }

    private int UnchokeSlots
    {
        get
        {
            int slots = Settings.GetInt(SettingIds.UnchokeSlotsLimit);
            return Math.Min(slots < 0 ? int.MaxValue : slots, Torrent.MaxUploads);
        }
    }

    private int UnchokedCountLocked()
    {
        int n = 0;
        foreach (var q in _peers) if (!q.AmChoking) n++;
        return n;
    }

    private void UpdateInterestLocked(PeerConnection p)
    {
        bool want = _tracker is not null && _tracker.Wants(p.PeerHave, p.PeerHasAll);
        if (want == p.AmInterested) return;
        p.AmInterested = want;
        p.SendIdOnly(want ? MessageKind.Interested : MessageKind.NotInterested);
    }

    private void FillRequestsLocked(PeerConnection p)
    {
        if (_tracker is null || p.PeerChoking || !p.AmInterested || p.IsClosed) return;
        while (p.Requests.Count < RequestPipeline && _tracker.TryPick(p.PeerHave, p.PeerHasAll, out int piece, out int block))
        {
            p.Requests.Add((piece, block));
            p.SendRequest(piece, block * BlockTracker.BlockSize, _tracker.BlockLength(piece, block));
        }
    }

    // ---- download: blocks -> disk -> hash -> have ---------------------------------------------

    /// <summary>A block arrived: it is copied into a disk buffer (waiting while the write budget is spent) and written.</summary>
    public async ValueTask OnBlockAsync(PeerConnection p, int piece, int begin, ReadOnlyMemory<byte> data)
    {
        TorrentStorage storage;
        int block = begin / BlockTracker.BlockSize;
        lock (_sync)
        {
            if (_tracker is null || _storage is null || (uint)piece >= (uint)_tracker.NumPieces
                || begin % BlockTracker.BlockSize != 0 || block >= _tracker.BlocksIn(piece)
                || data.Length != _tracker.BlockLength(piece, block))
                return;
            p.Requests.Remove((piece, block));
            p.Down.Add(data.Length);
            p.LastBlockTicks = Environment.TickCount64;
            if (!_tracker.OnReceived(piece, block)) { FillRequestsLocked(p); return; }
            if (!_contributors.TryGetValue(piece, out var from)) _contributors[piece] = from = new List<PeerConnection>(1);
            if (!from.Contains(p)) from.Add(p);
            storage = _storage;
            FillRequestsLocked(p);
        }
        DiskBuffer buffer = await _host.Disk.RentBlockAsync(data.Length).ConfigureAwait(false);
        data.Span.CopyTo(buffer.Span);
        _ = WriteAndCheckAsync(storage, piece, begin, buffer);
    }

    /// <summary>Writes a block; the one that completes its piece hashes it: true passed, false failed, null otherwise.</summary>
    private async Task<bool?> WriteAndCheckAsync(TorrentStorage storage, int piece, int begin, DiskBuffer buffer)
    {
        bool passed;
        try
        {
            await _host.Disk.WriteAsync(storage, piece, begin, buffer).ConfigureAwait(false);
            lock (_sync)
            {
                if (_tracker is null || !_tracker.OnWritten(piece)) return null;
            }
            passed = await _host.Disk.HashAsync(storage, piece).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageException or ObjectDisposedException or IOException)
        {
            lock (_sync) _tracker?.OnFailed(piece);
            return false;
        }
        if (!passed)
        {
            storage.DiscardPieceHashState(piece);
            List<PeerConnection> ban = new();
            lock (_sync)
            {
                _tracker?.OnFailed(piece);
                if (_contributors.Remove(piece, out var from))
                    foreach (var q in from)
                        if (++q.HashFailures >= MaxHashFailures) { _banned.Add(q.Remote); ban.Add(q); }
            }
            foreach (var q in ban) q.Close();
            return false;
        }
        Torrent.OnPieceVerified(piece);
        bool done;
        lock (_sync)
        {
            if (_tracker is null) return true;
            _tracker.OnPassed(piece);
            _contributors.Remove(piece);
            done = _tracker.IsDone;
            foreach (var q in _peers)
            {
                q.SendHave(piece);
                if (done) UpdateInterestLocked(q);
            }
        }
        if (done)
        {
            try { await _host.Disk.RunAsync(storage.Flush).ConfigureAwait(false); }
            catch (Exception e) when (e is StorageException or ObjectDisposedException) { }
        }
        return true;
    }

    // ---- upload --------------------------------------------------------------------------------

    private void OnRequest(PeerConnection p, int piece, int begin, int length)
    {
        TorrentStorage? storage;
        lock (_sync)
        {
            storage = _storage;
            bool ok = storage is not null && _tracker is not null && !p.AmChoking
                      && (uint)piece < (uint)_tracker.NumPieces && _tracker.Have(piece)
                      && length > 0 && length <= BlockTracker.BlockSize * 8 && begin >= 0
                      && (long)begin + length <= storage.Info.Files.PieceSize(piece)
                      && p.ServingRequests < MaxServing;
            if (!ok)
            {
                if (p.SupportsFast) p.SendReject(piece, begin, length);
                return;
            }
            p.ServingRequests++;
        }
        _ = ServeAsync(p, storage!, piece, begin, length);
    }

    private async Task ServeAsync(PeerConnection p, TorrentStorage storage, int piece, int begin, int length)
    {
        byte[] block = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            // Do not pile up more than a few MiB for a peer that does not read.
            while (p.PendingSendBytes > MaxPendingSendBytes && !p.IsClosed) await Task.Delay(5).ConfigureAwait(false);
            await _host.Disk.ReadAsync(storage, piece, begin, block.AsMemory(0, length)).ConfigureAwait(false);
            if (!p.IsClosed) p.SendPiece(piece, begin, block.AsMemory(0, length));
        }
        catch (Exception e) when (e is StorageException or ObjectDisposedException or IOException)
        {
            p.Close();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
            lock (_sync) p.ServingRequests--;
        }
    }

    // ---- BEP 10 / BEP 9 ------------------------------------------------------------------------

    private void OnExtended(PeerConnection p, byte id, ReadOnlySpan<byte> payload)
    {
        if (id == 0)
        {
            var hs = ExtensionHandshake.Decode(payload);
            lock (_sync)
            {
                p.PeerUtMetadataId = hs.IdOf(UtMetadata.ExtensionName);
                p.PeerMetadataSize = hs.MetadataSize ?? 0;
                p.PeerClient = hs.ClientName;
                RequestMetadataLocked(p);
            }
            // An incoming peer tells us where it listens: worth dialling again later.
            if (p.Incoming && hs.ListenPort is int port and > 0 and < 65536)
            {
                var listen = new System.Net.IPEndPoint(p.Remote.Address, port);
                lock (_sync) p.ListenEndpoint = listen;
                Learn(listen);
            }
            return;
        }
        if (id == PeerConnection.OurUtPexId)
        {
            var pex = PexMessage.Decode(payload);
            foreach (var added in pex.Added) Learn(added.Endpoint);
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
        lock (_sync)
        {
            if (_assembler is null || Torrent.HasMetadata) return;
            var result = _assembler.Add(msg);
            if (result == MetadataBlockResult.Complete) complete = _assembler.InfoBytes.ToArray();
            else if (result == MetadataBlockResult.HashMismatch) RequestMetadataLocked(p);
        }
        if (complete is null) return;
        var info = TorrentInfo.FromInfoDictionary(complete);
        Torrent.SetMetadata(info);
    }
}
