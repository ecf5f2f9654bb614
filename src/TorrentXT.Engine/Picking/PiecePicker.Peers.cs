// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Picking;

// Availability bookkeeping: every call here adjusts counts incrementally; nothing is recomputed per pick.
public sealed partial class PiecePicker
{
    /// <summary>The peer sent HAVE ALL: it counts as a seed (one counter, not one per piece).</summary>
    public void OnPeerHaveAll(IPeerView peer)
    {
        var record = _s.RecordOf(peer);
        if (record.CountedAsSeed || record.CountedPieces) return;
        record.CountedAsSeed = true;
        _s.Seeds++;
    }

    /// <summary>The peer sent its BITFIELD: every set bit adds one to that piece's availability.
    /// Call once per peer; HAVEs after it go through <see cref="OnPeerHave"/>.</summary>
    public void OnPeerBitfield(IPeerView peer, Bitfield pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        if (pieces.Length != PieceCount) throw new ArgumentException("The bitfield's length differs from the piece count.", nameof(pieces));
        var record = _s.RecordOf(peer);
        if (record.CountedAsSeed) return;
        record.CountedPieces = true;
        ForEachSet(pieces, _s.AddAvailability);
    }

    /// <summary>The peer announced one piece it did not have before (call only for a new bit).</summary>
    public void OnPeerHave(IPeerView peer, int piece)
    {
        CheckPiece(piece);
        var record = _s.RecordOf(peer);
        if (record.CountedAsSeed) return;
        record.CountedPieces = true;
        _s.AddAvailability(piece);
    }

    /// <summary>
    /// The peer disconnected: its availability is taken back (from <see cref="IPeerView.Pieces"/>,
    /// which must by then hold its bitfield and every HAVE reported), its outstanding requests are
    /// released, and the picker forgets it.
    /// </summary>
    public void OnPeerGone(IPeerView peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!_s.Peers.Remove(peer, out var record)) return;
        if (record.CountedAsSeed) _s.Seeds--;
        else if (record.CountedPieces && peer.Pieces is { } bits && bits.Length == PieceCount) ForEachSet(bits, _s.RemoveAvailability);
        ReleaseAll(record);
        record.Connected = false;
    }

    /// <summary>Releases every request outstanding to the peer (it choked us without the fast
    /// extension, so they will never be answered). Its availability is kept.</summary>
    public void ReleaseRequests(IPeerView peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (_s.Peers.TryGetValue(peer, out var record)) ReleaseAll(record);
    }

    private void ReleaseAll(PeerRecord record)
    {
        // Each release may retire the piece and reorder the list; work from the end.
        int guard = record.Pieces.Count + 1;
        while (record.Pieces.Count > 0 && guard-- > 0)
        {
            var dp = record.Pieces[^1];
            for (int b = 0; b < dp.BlockCount; b++)
                if (dp.States[b] == BlockState.Requested) _s.RemoveRequest(dp, b, record);
            if (dp.IsEmpty) _s.RetirePiece(dp);
        }
        record.Pieces.Clear();
    }

    private static void ForEachSet(Bitfield bits, Action<int> action)
    {
        var set = new SetBits(bits.Bytes);
        while (set.MoveNext()) action(set.Current);
    }
}
