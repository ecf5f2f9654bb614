// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>While the peer chokes us, only its allowed-fast pieces (BEP 6) can be started; they are
/// few, so they are simply ordered rarest first.</summary>
internal sealed class AllowedFastOrder : IPieceOrder
{
    private readonly List<int> _buffer = new();

    public void Offer(PickerState s, PickContext ctx, int level)
    {
        _buffer.Clear();
        foreach (int piece in ctx.Peer.AllowedFast)
        {
            if ((uint)piece >= (uint)s.PieceCount || s.Pool.LevelOfPiece(piece) != level) continue;
            if (ctx.PeerHas(piece) && !_buffer.Contains(piece)) _buffer.Add(piece);
        }
        // Insertion sort by availability: a handful of pieces, and no comparer closure to allocate.
        for (int i = 1; i < _buffer.Count; i++)
        {
            int piece = _buffer[i], j = i - 1;
            while (j >= 0 && s.Availability[_buffer[j]] > s.Availability[piece]) { _buffer[j + 1] = _buffer[j]; j--; }
            _buffer[j + 1] = piece;
        }
        foreach (int piece in _buffer)
            if (!ctx.TakeFresh(piece)) return;
    }
}
