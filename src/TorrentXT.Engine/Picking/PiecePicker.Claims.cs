// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

// Whole-piece claims, for sources that fetch a piece in one go (web seeds, BEP 19): the claimer is a
// pseudo-peer that never goes through PickBlocks. Its blocks arrive through OnBlockReceived like any
// peer's, and its hash verdicts reach it through OnPieceHashed's contributors.
public sealed partial class PiecePicker
{
    /// <summary>
    /// Claims for <paramref name="claimer"/> a wanted piece nobody is downloading: every block of it
    /// is recorded as requested by the claimer, and the claimer owns it, so peers keep out of it
    /// except as end-game duplicates. Highest priority first; within a priority the lowest index
    /// when <see cref="Sequential"/>, else the rarest (pieces no peer has come first: the claimer may
    /// be their only source). False when no piece is free to start.
    /// </summary>
    public bool TryClaimWholePiece(IPeerView claimer, out int piece)
    {
        ArgumentNullException.ThrowIfNull(claimer);
        piece = -1;
        var pool = _s.Pool;
        if (pool.Count == 0) return false;
        if (_s.Sequential)
        {
            for (int level = 0; level < PiecePool.Levels && piece < 0; level++)
                if (pool.LevelCount(level) > 0) piece = FirstSet(pool.LevelMasks[level]);
        }
        else piece = pool.PieceAt(0); // the pool is ordered by (priority desc, availability asc)
        if (piece < 0) return false;
        var record = _s.RecordOf(claimer);
        var dp = _s.StartPiece(piece);
        for (int b = 0; b < dp.BlockCount; b++) _s.AddRequest(dp, b, record);
        dp.Owner = record;
        return true;
    }

    /// <summary>
    /// The claimer could not fetch the piece: its requests in it are released, so peers or another
    /// claimer may take those blocks; blocks it already delivered stay. Returns false when the
    /// claimer had nothing requested in the piece.
    /// </summary>
    public bool ReleaseClaim(IPeerView claimer, int piece)
    {
        ArgumentNullException.ThrowIfNull(claimer);
        CheckPiece(piece);
        var dp = _s.Downloading[piece];
        if (dp is null || !_s.Peers.TryGetValue(claimer, out var record)) return false;
        bool released = false;
        for (int b = 0; b < dp.BlockCount; b++)
            if (dp.States[b] == BlockState.Requested) released |= _s.RemoveRequest(dp, b, record);
        if (dp.IsEmpty) _s.RetirePiece(dp);
        return released;
    }

    private static int FirstSet(ulong[] mask)
    {
        for (int w = 0; w < mask.Length; w++)
            if (mask[w] != 0) return PeerBits.FirstPiece(w, mask[w]);
        return -1;
    }
}
