// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Picking;
using Xunit;
using static TorrentXT.Engine.Tests.Picking.PickerHarness;

namespace TorrentXT.Engine.Tests.Picking;

/// <summary>The life of a block: free, requested, writing, finished, hashed.</summary>
public class BlockBookkeepingTests
{
    [Fact]
    public void Picking_changes_nothing_until_the_request_is_sent()
    {
        var picker = Create(10);
        var seed = Seed(picker);
        var first = Pick(picker, seed, 2);
        Assert.Equal(0, picker.PiecesInProgress);
        Assert.Equal(BlockState.Free, picker.GetBlockState(first[0].Piece, first[0].Block));
        Assert.Equal(2, Pick(picker, seed, 2).Count);
        Assert.True(picker.OnRequestSent(seed, first[0]));
        Assert.Equal(BlockState.Requested, picker.GetBlockState(first[0].Piece, 0));
        Assert.False(picker.OnRequestSent(seed, first[0]));            // already requested by this peer
        Assert.DoesNotContain(first[0], Pick(picker, seed, 4));
    }

    [Fact]
    public void Rejected_and_timed_out_requests_free_their_blocks()
    {
        var picker = Create(10);
        var seed = Seed(picker);
        var sent = Request(picker, seed, 2);
        Assert.True(picker.OnRequestRejected(seed, sent[0]));
        Assert.True(picker.OnRequestTimeout(seed, sent[1]));
        Assert.False(picker.OnRequestRejected(seed, sent[1]));           // nothing left to reject
        Assert.Equal(BlockState.Free, picker.GetBlockState(sent[0].Piece, sent[0].Block));
        Assert.False(picker.IsInProgress(sent[0].Piece));                // an empty piece returns to the pool
        picker.CheckInvariants();
    }

    [Fact]
    public void A_late_block_after_a_timeout_is_still_accepted()
    {
        var picker = Create(10);
        var seed = Seed(picker);
        var sent = Request(picker, seed, 1);
        picker.OnRequestTimeout(seed, sent[0]);
        Assert.Equal(BlockReceiveResult.Accepted, picker.OnBlockReceived(seed, sent[0]));
        Assert.Equal(BlockState.Writing, picker.GetBlockState(sent[0].Piece, 0));
    }

    [Fact]
    public void The_last_written_block_completes_the_piece_and_a_pass_makes_it_ours()
    {
        var picker = Create(10);
        var seed = Seed(picker);
        var sent = Request(picker, seed, 4);
        int piece = sent[0].Piece;
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(BlockReceiveResult.Accepted, picker.OnBlockReceived(seed, sent[i]));
            Assert.Equal(i == 3, picker.OnBlockWritten(sent[i]));
        }
        Assert.Equal(BlockState.Finished, picker.GetBlockState(piece, 3));
        picker.OnPieceHashed(piece, passed: true);
        Assert.True(picker.HavePiece(piece));
        Assert.Equal(1, picker.HaveCount);
        Assert.Equal(BlockReceiveResult.Duplicate, picker.OnBlockReceived(seed, sent[0]));
        Assert.False(picker.IsInteresting(Peer(picker, "only-that", piece)));
        picker.CheckInvariants();
    }

    [Fact]
    public void A_failed_hash_frees_every_block_and_names_each_contributor_once()
    {
        var picker = Create(10);
        var a = Seed(picker, "a");
        var b = Seed(picker, "b");
        var blocks = Request(picker, a, 4);
        int piece = blocks[0].Piece;
        // b delivers one block a had requested; a delivers the others.
        Assert.Equal(BlockReceiveResult.Accepted, picker.OnBlockReceived(b, blocks[0]));
        picker.OnBlockWritten(blocks[0]);
        for (int i = 1; i < 4; i++) { picker.OnBlockReceived(a, blocks[i]); picker.OnBlockWritten(blocks[i]); }
        var contributors = new List<IPeerView>();
        picker.OnPieceHashed(piece, passed: false, contributors);
        Assert.Equal(new IPeerView[] { b, a }, contributors);
        Assert.False(picker.HavePiece(piece));
        Assert.False(picker.IsInProgress(piece));
        Assert.True(picker.IsInteresting(a));
        picker.CheckInvariants();
    }

    [Fact]
    public void A_failed_write_frees_the_block()
    {
        var picker = Create(10);
        var seed = Seed(picker);
        var sent = Request(picker, seed, 2);
        picker.OnBlockReceived(seed, sent[0]);
        picker.OnBlockWriteFailed(sent[0]);
        Assert.Equal(BlockState.Free, picker.GetBlockState(sent[0].Piece, 0));
        Assert.Contains(sent[0], Pick(picker, seed, 4));
        picker.CheckInvariants();
    }

    [Fact]
    public void A_departing_peer_releases_its_requests()
    {
        var picker = Create(10);
        var a = Seed(picker, "a");
        var sent = Request(picker, a, 6);
        picker.OnBlockReceived(a, sent[0]);
        picker.OnPeerGone(a);
        Assert.Equal(BlockState.Writing, picker.GetBlockState(sent[0].Piece, 0));
        foreach (var r in sent.Skip(1)) Assert.Equal(BlockState.Free, picker.GetBlockState(r.Piece, r.Block));
        Assert.Equal(1, picker.PiecesInProgress);
        picker.CheckInvariants();
    }

    [Fact]
    public void Invalid_and_unwanted_blocks_are_refused()
    {
        var picker = Create(10);
        var seed = Seed(picker);
        Assert.Equal(BlockReceiveResult.Invalid, picker.OnBlockReceived(seed, new BlockRequest(99, 0, Block)));
        Assert.Equal(BlockReceiveResult.Invalid, picker.OnBlockReceived(seed, new BlockRequest(0, 5, Block)));
        picker.SetPiecePriority(2, 0);
        Assert.Equal(BlockReceiveResult.NotWanted, picker.OnBlockReceived(seed, new BlockRequest(2, 0, Block)));
        Assert.False(picker.OnRequestSent(seed, new BlockRequest(0, 0, 1)));
    }

    [Fact]
    public void Priority_zero_on_a_piece_in_progress_stops_new_requests_for_it()
    {
        var picker = Create(10);
        var seed = Seed(picker);
        int piece = Request(picker, seed, 1)[0].Piece;
        picker.SetPiecePriority(piece, 0);
        Assert.DoesNotContain(Pick(picker, seed, 40), r => r.Piece == piece);
        picker.CheckInvariants();
    }

    [Fact]
    public void Bulk_priorities_rebuild_the_pool()
    {
        var picker = CreatePastRandomFirst(12);
        var seed = Seed(picker);
        Request(picker, seed, 1);
        var priorities = new byte[12];
        priorities[6] = 1;
        priorities[7] = 7;
        picker.SetPiecePriorities(priorities);
        picker.CheckInvariants();
        Assert.Equal([7, 6], PiecesOf(Pick(picker, Seed(picker, "s2"), 8)));
        Assert.Equal(2, picker.WantedCount);
    }
}
