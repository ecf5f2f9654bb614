// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Picking;
using Xunit;
using static TorrentXT.Engine.Tests.Picking.PickerHarness;

namespace TorrentXT.Engine.Tests.Picking;

/// <summary>Whole-piece claims for a pseudo-peer such as a web seed (BEP 19).</summary>
public class WholePieceClaimTests
{
    private static FakePeer Claimer(PiecePicker picker) => new("webseed", picker.PieceCount) { HasAll = true, Pieces = null };

    private static List<BlockRequest> Blocks(PiecePicker picker, int piece) =>
        Enumerable.Range(0, picker.Layout.BlockCount(piece)).Select(b => picker.Layout.Request(piece, b)).ToList();

    [Fact]
    public void A_claim_takes_every_block_of_a_piece_nobody_started_and_peers_keep_out()
    {
        var picker = CreatePastRandomFirst(10);
        var peer = Seed(picker, "peer");
        int started = Request(picker, peer, 1)[0].Piece;
        var ws = Claimer(picker);
        Assert.True(picker.TryClaimWholePiece(ws, out int piece));
        Assert.NotEqual(started, piece);
        Assert.False(picker.HavePiece(piece));
        for (int b = 0; b < picker.Layout.BlockCount(piece); b++)
        {
            Assert.Equal(BlockState.Requested, picker.GetBlockState(piece, b));
            Assert.Equal(1, picker.RequesterCount(piece, b));
        }
        Assert.DoesNotContain(piece, PiecesOf(Pick(picker, Seed(picker, "other"), 20)));
        picker.CheckInvariants();
    }

    [Fact]
    public void Claims_prefer_pieces_no_peer_has_and_skip_had_unwanted_and_started_pieces()
    {
        var picker = Create(6);
        picker.MarkHave(0);
        picker.SetPiecePriority(1, 0);
        Peer(picker, "a", 2, 3, 5);
        var b = Peer(picker, "b", 3, 5);
        int started = Request(picker, b, 1)[0].Piece;
        var ws = Claimer(picker);
        Assert.True(picker.TryClaimWholePiece(ws, out int first));
        Assert.Equal(4, first); // nobody else has it: the claimer may be its only source
        var claimed = new List<int> { first };
        while (picker.TryClaimWholePiece(ws, out int p)) claimed.Add(p);
        var expected = new[] { 2, 3, 4, 5 }.Where(p => p != started).ToArray();
        Assert.Equal(expected, claimed.Order());
        Assert.Equal(2, claimed[1]); // one peer has 2, two have 3 and 5: rarest next
        picker.CheckInvariants();
    }

    [Fact]
    public void Sequential_claims_go_in_index_order_and_higher_priority_first()
    {
        var picker = Create(8);
        picker.Sequential = true;
        picker.SetPiecePriority(6, 7);
        var ws = Claimer(picker);
        var order = new List<int>();
        while (picker.TryClaimWholePiece(ws, out int p)) order.Add(p);
        Assert.Equal([6, 0, 1, 2, 3, 4, 5, 7], order);
    }

    [Fact]
    public void A_released_claim_goes_back_to_the_peers()
    {
        var picker = CreatePastRandomFirst(5);
        var ws = Claimer(picker);
        Assert.True(picker.TryClaimWholePiece(ws, out int piece));
        Assert.True(picker.ReleaseClaim(ws, piece));
        Assert.False(picker.IsInProgress(piece));
        Assert.False(picker.ReleaseClaim(ws, piece));
        picker.CheckInvariants();
        var peer = Peer(picker, "p", piece);
        Assert.Equal([piece], PiecesOf(Request(picker, peer, 10)));
    }

    [Fact]
    public void A_claimer_that_goes_away_releases_all_its_claims()
    {
        var picker = CreatePastRandomFirst(6);
        var ws = Claimer(picker);
        Assert.True(picker.TryClaimWholePiece(ws, out int p1));
        Assert.True(picker.TryClaimWholePiece(ws, out int p2));
        picker.OnPeerGone(ws);
        Assert.False(picker.IsInProgress(p1));
        Assert.False(picker.IsInProgress(p2));
        picker.CheckInvariants();
    }

    [Fact]
    public void A_claimed_piece_that_passes_is_had_and_credits_the_claimer()
    {
        var picker = CreatePastRandomFirst(5);
        var ws = Claimer(picker);
        Assert.True(picker.TryClaimWholePiece(ws, out int piece));
        var blocks = Blocks(picker, piece);
        foreach (var r in blocks) Assert.Equal(BlockReceiveResult.Accepted, picker.OnBlockReceived(ws, r));
        bool complete = false;
        foreach (var r in blocks) complete = picker.OnBlockWritten(r);
        Assert.True(complete);
        var contributors = new List<IPeerView>();
        picker.OnPieceHashed(piece, passed: true, contributors);
        Assert.True(picker.HavePiece(piece));
        Assert.Same(ws, Assert.Single(contributors));
        picker.CheckInvariants();
    }

    [Fact]
    public void A_claimed_piece_that_fails_its_hash_blames_the_claimer_and_is_free_again()
    {
        var picker = CreatePastRandomFirst(5);
        var ws = Claimer(picker);
        Assert.True(picker.TryClaimWholePiece(ws, out int piece));
        foreach (var r in Blocks(picker, piece)) picker.OnBlockReceived(ws, r);
        foreach (var r in Blocks(picker, piece)) picker.OnBlockWritten(r);
        var blamed = new List<IPeerView>();
        picker.OnPieceHashed(piece, passed: false, blamed);
        Assert.Same(ws, Assert.Single(blamed));
        Assert.False(picker.IsInProgress(piece));
        Assert.False(picker.HavePiece(piece));
        Assert.True(picker.TryClaimWholePiece(ws, out int again));
        Assert.Equal(piece, again);
        picker.CheckInvariants();
    }

    [Fact]
    public void In_end_game_a_peer_may_duplicate_a_claimed_block_and_the_first_copy_wins()
    {
        var picker = Create(1);
        var ws = Claimer(picker);
        Assert.True(picker.TryClaimWholePiece(ws, out int piece));
        Assert.True(picker.IsEndGame);
        var peer = Seed(picker, "peer");
        var dup = Request(picker, peer, 1);
        Assert.Single(dup);
        var cancel = new List<IPeerView>();
        Assert.Equal(BlockReceiveResult.Accepted, picker.OnBlockReceived(peer, dup[0], cancel));
        Assert.Same(ws, Assert.Single(cancel));
        Assert.Equal(BlockReceiveResult.Duplicate, picker.OnBlockReceived(ws, dup[0]));
        foreach (var r in Blocks(picker, piece).Where(r => r != dup[0]))
        {
            cancel.Clear();
            Assert.Equal(BlockReceiveResult.Accepted, picker.OnBlockReceived(ws, r, cancel));
        }
        Assert.Empty(cancel); // the peer had only the one duplicate
        picker.CheckInvariants();
    }
}
