// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

// Block bookkeeping: the life of a block is Free -> Requested -> Writing -> Finished, and a piece
// whose blocks are all finished goes to the hash check.
public sealed partial class PiecePicker
{
    /// <summary>Records that the request went out to the peer. Returns false (and records nothing)
    /// when the block no longer needs requesting or this peer already has it requested.</summary>
    public bool OnRequestSent(IPeerView peer, BlockRequest request)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!IsBlock(request) || _s.Have[request.Piece]) return false;
        var record = _s.RecordOf(peer);
        var dp = _s.Downloading[request.Piece];
        bool started = dp is null;
        dp ??= _s.StartPiece(request.Piece);
        if (!_s.AddRequest(dp, request.Block, record)) return false;
        if (started && !peer.IsSnubbed && IsWholePiecePeer(peer)) dp.Owner = record;
        return true;
    }

    /// <summary>The peer rejected the request (BEP 6 REJECT): the block is free again unless another
    /// peer has it requested too. Returns false when the peer had no such request.</summary>
    public bool OnRequestRejected(IPeerView peer, BlockRequest request) => Release(peer, request);

    /// <summary>The request timed out: treated like a rejection, so another peer may take the block
    /// (if the late block still arrives, it is accepted).</summary>
    public bool OnRequestTimeout(IPeerView peer, BlockRequest request) => Release(peer, request);

    /// <summary>
    /// A block arrived from <paramref name="peer"/>. When accepted, the other peers that had it
    /// requested (end-game) are appended to <paramref name="cancelFrom"/>: send them CANCEL.
    /// </summary>
    public BlockReceiveResult OnBlockReceived(IPeerView peer, BlockRequest block, List<IPeerView>? cancelFrom = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!IsBlock(block)) return BlockReceiveResult.Invalid;
        if (_s.Have[block.Piece]) return BlockReceiveResult.Duplicate;
        var record = _s.RecordOf(peer);
        var dp = _s.Downloading[block.Piece];
        if (dp is null)
        {
            // Unrequested, or its request was released after a timeout: still useful if wanted.
            if (_s.Priority[block.Piece] == 0) return BlockReceiveResult.NotWanted;
            dp = _s.StartPiece(block.Piece);
        }
        var state = dp.States[block.Block];
        if (state is BlockState.Writing or BlockState.Finished) return BlockReceiveResult.Duplicate;
        _s.MarkWriting(dp, block.Block, record, cancelFrom);
        return BlockReceiveResult.Accepted;
    }

    /// <summary>The block is on disk. Returns true when that completes its piece: hash it next and
    /// report the verdict with <see cref="OnPieceHashed"/>.</summary>
    public bool OnBlockWritten(BlockRequest block)
    {
        if (!IsBlock(block)) return false;
        var dp = _s.Downloading[block.Piece];
        if (dp is null || dp.States[block.Block] != BlockState.Writing) return false;
        _s.MarkFinished(dp, block.Block);
        return dp.Finished == dp.BlockCount;
    }

    /// <summary>Writing the block failed: it is free again.</summary>
    public void OnBlockWriteFailed(BlockRequest block)
    {
        if (!IsBlock(block)) return;
        var dp = _s.Downloading[block.Piece];
        if (dp is null || dp.States[block.Block] != BlockState.Writing) return;
        _s.MarkWriteFailed(dp, block.Block);
        if (dp.IsEmpty) _s.RetirePiece(dp);
    }

    /// <summary>
    /// The piece's hash check finished. Passed: the piece is ours. Failed: every block of it is free
    /// again. Either way the distinct peers that delivered its blocks are appended to
    /// <paramref name="contributors"/> (trust: credit for a good piece, blame for a bad one).
    /// </summary>
    /// <summary>
    /// Whether part of the piece in progress was on disk before any peer sent a block (resume data):
    /// then a failed check cannot be pinned on the peers alone.
    /// </summary>
    public bool HasBlocksFromDisk(int piece) => (uint)piece < (uint)_s.PieceCount && _s.Downloading[piece]?.HasBlocksFromDisk == true;

    public void OnPieceHashed(int piece, bool passed, List<IPeerView>? contributors = null)
    {
        CheckPiece(piece);
        var dp = _s.Downloading[piece];
        if (dp is not null) contributors?.AddRange(dp.Senders);
        if (passed)
        {
            MarkHave(piece);
            return;
        }
        if (dp is null) return;
        _s.RetirePiece(dp);
    }

    private bool Release(IPeerView peer, BlockRequest request)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!IsBlock(request)) return false;
        var dp = _s.Downloading[request.Piece];
        if (dp is null || !_s.Peers.TryGetValue(peer, out var record)) return false;
        bool released = _s.RemoveRequest(dp, request.Block, record);
        if (dp.IsEmpty) _s.RetirePiece(dp);
        return released;
    }

    private bool IsBlock(BlockRequest b) => _s.Layout.IsBlock(b.Piece, b.Offset, b.Length);
}
