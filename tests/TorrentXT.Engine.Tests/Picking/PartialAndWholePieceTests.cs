// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Picking;
using Xunit;
using static TorrentXT.Engine.Tests.Picking.PickerHarness;

namespace TorrentXT.Engine.Tests.Picking;

/// <summary>Finishing what was started, and giving fast peers pieces of their own.</summary>
public class PartialAndWholePieceTests
{
    [Fact]
    public void A_peer_continues_its_own_partial_piece_before_starting_another()
    {
        var picker = CreatePastRandomFirst(30);
        var a = Seed(picker, "a");
        var first = Request(picker, a, 2);
        int piece = first[0].Piece;
        var next = Pick(picker, a, 2);
        Assert.All(next, b => Assert.Equal(piece, b.Piece));
        Assert.Equal([2 * Block, 3 * Block], next.Select(b => b.Offset));
    }

    [Fact]
    public void A_normal_peer_joins_another_peers_partial_piece_before_starting_a_new_one()
    {
        var picker = CreatePastRandomFirst(30);
        var a = Seed(picker, "a");
        int piece = Request(picker, a, 1)[0].Piece;
        var b = Seed(picker, "b");
        var picked = Pick(picker, b, 3);
        Assert.All(picked, r => Assert.Equal(piece, r.Piece));
        Assert.Equal([1, 2, 3], picked.Select(r => r.Block));
    }

    [Fact]
    public void Pieces_closer_to_completion_are_continued_first()
    {
        var picker = CreatePastRandomFirst(30, blocksPerPiece: 8);
        var a = Seed(picker, "a");
        var b = Seed(picker, "b");
        int p1 = Request(picker, a, 2)[0].Piece;   // 6 free blocks left
        var rest = Pick(picker, b, 100).Where(r => r.Piece != p1).ToList();
        int p2 = rest[0].Piece;
        foreach (var r in rest.Where(r => r.Piece == p2).Take(7)) Assert.True(picker.OnRequestSent(b, r)); // 1 free block left
        var c = Seed(picker, "c");
        var picked = Pick(picker, c, 2);
        Assert.Equal(p2, picked[0].Piece);
        Assert.Equal(p1, picked[1].Piece);
    }

    [Fact]
    public void A_fast_peer_gets_whole_pieces_that_others_keep_out_of()
    {
        // 4 blocks of 16 KiB = 64 KiB pieces; 20 s threshold: 3.3 KB/s and up counts as fast.
        var picker = CreatePastRandomFirst(30);
        var fast = Seed(picker, "fast");
        fast.DownloadRate = 1_000_000;
        Assert.True(picker.IsWholePiecePeer(fast));
        int piece = Request(picker, fast, 1)[0].Piece;

        var slow = Seed(picker, "slow");
        Assert.DoesNotContain(Pick(picker, slow, 8), r => r.Piece == piece);

        // The fast peer itself continues its reserved piece.
        Assert.All(Pick(picker, fast, 3), r => Assert.Equal(piece, r.Piece));
    }

    [Fact]
    public void A_fast_peer_prefers_a_new_piece_over_joining_a_slow_peers_piece()
    {
        var picker = CreatePastRandomFirst(30);
        var slow = Seed(picker, "slow");
        int slowPiece = Request(picker, slow, 1)[0].Piece;
        var fast = Seed(picker, "fast");
        fast.DownloadRate = 1_000_000;
        var picked = Pick(picker, fast, 4);
        Assert.Single(PiecesOf(picked));
        Assert.NotEqual(slowPiece, picked[0].Piece);
    }

    [Fact]
    public void A_reservation_ends_when_its_owner_leaves()
    {
        var picker = CreatePastRandomFirst(30);
        var fast = Seed(picker, "fast");
        fast.DownloadRate = 1_000_000;
        var sent = Request(picker, fast, 1);
        Deliver(picker, fast, sent[0]);
        picker.OnPeerGone(fast);
        var other = Seed(picker, "other");
        var picked = Pick(picker, other, 3);
        Assert.All(picked, r => Assert.Equal(sent[0].Piece, r.Piece));
        picker.CheckInvariants();
    }

    [Fact]
    public void A_snubbed_peer_starts_common_pieces_and_stays_out_of_others_partials()
    {
        var picker = CreatePastRandomFirst(30);
        var holder = Peer(picker, "holder", 0, 1, 2);    // 0..2 more common than the rest
        var other = Seed(picker, "other");
        int partial = Request(picker, other, 1)[0].Piece;
        var snubbed = Seed(picker, "snubbed");
        snubbed.IsSnubbed = true;
        var picked = Pick(picker, snubbed, 4);
        Assert.InRange(picked[0].Piece, 0, 2);
        Assert.DoesNotContain(picked, r => r.Piece == partial);
        _ = holder;
    }
}
