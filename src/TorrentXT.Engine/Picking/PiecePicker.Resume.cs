// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

// Resume data's 'unfinished' pieces: the blocks of pieces in progress that are already on disk,
// handed out when resume data is saved and taken back when a torrent starts from it.
public sealed partial class PiecePicker
{
    /// <summary>
    /// Appends, for every piece in progress with blocks written to disk (state
    /// <see cref="BlockState.Finished"/>), the piece and a bitmask of those blocks (MSB first, as in
    /// libtorrent's resume format). Blocks merely requested or still being written are left out.
    /// </summary>
    public void CollectWrittenBlocks(List<(int Piece, byte[] Bitmask)> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        foreach (var dp in _s.Active)
        {
            if (dp.Finished == 0 || _s.Have[dp.Piece]) continue;
            var mask = new byte[(dp.BlockCount + 7) >> 3];
            for (int b = 0; b < dp.BlockCount; b++)
                if (dp.States[b] == BlockState.Finished) mask[b >> 3] |= (byte)(0x80 >> (b & 7));
            into.Add((dp.Piece, mask));
        }
    }

    /// <summary>
    /// Marks the blocks set in <paramref name="bitmask"/> (MSB first) of <paramref name="piece"/> as
    /// already written, so they are never requested; the write that completes the piece then hashes
    /// it whole, old blocks read back from disk. Returns how many blocks it marked: 0 when the piece
    /// is out of range, had, already in progress, or when the mask covers every block (nothing would
    /// then trigger the piece's check, so the piece is downloaded again instead). Bits past the
    /// piece's last block are ignored.
    /// </summary>
    public int MarkBlocksWritten(int piece, ReadOnlySpan<byte> bitmask)
    {
        if ((uint)piece >= (uint)_s.PieceCount || _s.Have[piece] || _s.Downloading[piece] is not null) return 0;
        int blocks = _s.Layout.BlockCount(piece);
        int set = 0;
        for (int b = 0; b < blocks && (b >> 3) < bitmask.Length; b++)
            if ((bitmask[b >> 3] & (0x80 >> (b & 7))) != 0) set++;
        if (set == 0 || set == blocks) return 0;
        var dp = _s.StartPiece(piece);
        for (int b = 0; b < blocks && (b >> 3) < bitmask.Length; b++)
            if ((bitmask[b >> 3] & (0x80 >> (b & 7))) != 0) _s.MarkPreWritten(dp, b);
        return set;
    }
}
