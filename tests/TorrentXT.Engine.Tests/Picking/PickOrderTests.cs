// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Picking;
using Xunit;
using static TorrentXT.Engine.Tests.Picking.PickerHarness;

namespace TorrentXT.Engine.Tests.Picking;

/// <summary>Which pieces come first, policy by policy.</summary>
public class PickOrderTests
{
    [Fact]
    public void Rarest_pieces_come_first_once_the_first_pieces_are_complete()
    {
        var picker = CreatePastRandomFirst(20);
        // Piece 7 is held by one peer, pieces 0..15 otherwise by three.
        for (int i = 0; i < 3; i++) Peer(picker, "common" + i, Enumerable.Range(0, 16).Where(p => p != 7).ToArray());
        Peer(picker, "rare", 7);
        var seed = Seed(picker);
        var blocks = Pick(picker, seed, 4);
        Assert.All(blocks, b => Assert.Equal(7, b.Piece));
    }

    [Fact]
    public void Equally_rare_pieces_are_chosen_at_random()
    {
        var firsts = new HashSet<int>();
        for (int seed = 0; seed < 40; seed++)
        {
            var picker = CreatePastRandomFirst(20, seed: seed);
            var s = Seed(picker);
            firsts.Add(Pick(picker, s, 1)[0].Piece);
        }
        // 16 equally rare candidates: a seeded random start spreads the first pick widely.
        Assert.True(firsts.Count >= 8, $"only {firsts.Count} distinct first picks");
    }

    [Fact]
    public void Until_the_initial_threshold_new_pieces_are_random_not_rarest()
    {
        int rarestFirst = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var picker = Create(20, seed: seed);
            for (int i = 0; i < 3; i++) Peer(picker, "c" + i, Enumerable.Range(1, 19).ToArray());
            var seedPeer = Seed(picker);
            if (Pick(picker, seedPeer, 1)[0].Piece == 0) rarestFirst++;
        }
        // Piece 0 is the single rarest piece; random-first picks it about 1 time in 20.
        Assert.InRange(rarestFirst, 0, 10);

        var after = CreatePastRandomFirst(24, seed: 3);
        for (int i = 0; i < 3; i++) Peer(after, "c" + i, Enumerable.Range(1, 19).ToArray());
        Assert.Equal(0, Pick(after, Seed(after), 1)[0].Piece);
    }

    [Fact]
    public void Higher_priority_wins_over_rarity_and_priority_zero_is_never_picked()
    {
        var picker = CreatePastRandomFirst(10);
        Peer(picker, "rare-holder", 0);         // piece 0 is the rarest
        for (int p = 0; p < 6; p++) picker.SetPiecePriority(p, p == 5 ? 7 : 0);
        var seed = Seed(picker);
        var blocks = Pick(picker, seed, 100);
        Assert.Equal(5, blocks[0].Piece);
        Assert.DoesNotContain(blocks, b => b.Piece < 5);
        picker.CheckInvariants();
    }

    [Fact]
    public void Only_priority_zero_left_means_nothing_to_pick()
    {
        var picker = Create(3);
        for (int p = 0; p < 3; p++) picker.SetPiecePriority(p, 0);
        Assert.Empty(Pick(picker, Seed(picker), 10));
        Assert.True(picker.IsFinished);
    }

    [Fact]
    public void Deadline_pieces_come_before_everything_earliest_first()
    {
        var picker = CreatePastRandomFirst(20);
        picker.SetPiecePriority(1, 7);
        picker.SetDeadline(9, dueTicks: 500);
        picker.SetDeadline(3, dueTicks: 100);
        var blocks = Pick(picker, Seed(picker), 9);
        Assert.Equal([3, 9, 1], PiecesOf(blocks));
    }

    [Fact]
    public void Sequential_mode_takes_the_lowest_wanted_index_the_peer_has()
    {
        var picker = Create(50);
        picker.Sequential = true;
        picker.MarkHave(0);
        picker.SetPiecePriority(1, 0);
        var peer = Peer(picker, "p", 2, 4, 5, 40);
        Assert.Equal([2, 4, 5], PiecesOf(Pick(picker, peer, 12)));
    }

    [Fact]
    public void A_choking_peer_is_asked_only_for_its_allowed_fast_pieces()
    {
        var picker = CreatePastRandomFirst(20);
        var seed = Seed(picker);
        var choking = new FakePeer("choking", 20) { HasAll = true, Pieces = null, IsChokingUs = true };
        picker.OnPeerHaveAll(choking);
        Assert.Empty(Pick(picker, choking, 10));
        choking.Fast.AddRange([11, 2]);
        var blocks = Pick(picker, choking, 100);
        Assert.Equal([2, 11], PiecesOf(blocks).Order());
        Assert.Equal(8, blocks.Count);

        // Partial pieces outside the allowed-fast set are off limits too.
        Request(picker, seed, 1);
        Assert.DoesNotContain(Pick(picker, choking, 100), b => b.Piece != 2 && b.Piece != 11);
    }

    [Fact]
    public void A_peer_with_nothing_we_want_yields_nothing()
    {
        var picker = Create(10);
        picker.MarkHave(3);
        Assert.Empty(Pick(picker, Peer(picker, "p", 3), 10));
        Assert.Empty(Pick(picker, Peer(picker, "none"), 10));
    }

    [Fact]
    public void A_sparse_peer_still_gets_its_rarest_piece()
    {
        // 2,000 pieces, the peer has 3 of them: the bitfield path, not the bucket walk.
        var picker = CreatePastRandomFirst(2000);
        for (int i = 0; i < 3; i++) Peer(picker, "c" + i, 100, 900);
        var sparse = Peer(picker, "sparse", 100, 900, 1500);
        Assert.Equal(1500, Pick(picker, sparse, 1)[0].Piece);
        var all = PiecesOf(Pick(picker, sparse, 12)).ToList();
        Assert.Equal(1500, all[0]);
        Assert.Equal([100, 900, 1500], all.Order());
    }
}
