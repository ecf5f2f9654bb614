// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Picking;
using Xunit;
using static TorrentXT.Engine.Tests.Picking.PickerHarness;

namespace TorrentXT.Engine.Tests.Picking;

public class EndGameTests
{
    [Fact]
    public void No_block_is_requested_twice_while_free_blocks_remain()
    {
        var picker = Create(3);
        var a = Seed(picker, "a");
        var b = Seed(picker, "b");
        var fromA = Request(picker, a, 8);
        Assert.False(picker.IsEndGame);
        var fromB = Request(picker, b, 8);
        Assert.Empty(fromA.Intersect(fromB));
        Assert.Equal(4, fromB.Count);
        Assert.True(picker.IsEndGame);                       // now every block is requested
    }

    [Fact]
    public void In_end_game_busy_blocks_are_duplicated_up_to_the_limit_and_the_loser_is_cancelled()
    {
        var picker = Create(1);
        var a = Seed(picker, "a");
        var b = Seed(picker, "b");
        var c = Seed(picker, "c");
        var fromA = Request(picker, a, 4);
        Assert.True(picker.IsEndGame);

        var fromB = Request(picker, b, 4);
        Assert.Equal(fromA, fromB);
        Assert.Equal(2, picker.RequesterCount(0, 0));
        Assert.Empty(Pick(picker, c, 4));                  // two requesters per block at most

        var cancel = new List<IPeerView>();
        Assert.Equal(BlockReceiveResult.Accepted, picker.OnBlockReceived(b, fromB[0], cancel));
        Assert.Equal(new IPeerView[] { a }, cancel);
        Assert.Equal(BlockReceiveResult.Duplicate, picker.OnBlockReceived(a, fromA[0], cancel));
        picker.CheckInvariants();
    }

    [Fact]
    public void Busy_blocks_with_fewer_requesters_are_duplicated_first()
    {
        var picker = Create(1, options: new PiecePickerOptions { EndGameMaxRequestersPerBlock = 3 });
        var a = Seed(picker, "a");
        var b = Seed(picker, "b");
        var c = Seed(picker, "c");
        Request(picker, a, 4);
        var fromB = Request(picker, b, 2);
        var fromC = Pick(picker, c, 2);
        Assert.Equal([2, 3], fromC.Select(r => r.Block));
        _ = fromB;
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 4)]
    public void Without_strict_end_game_a_peer_with_nothing_free_may_duplicate_at_once(bool strict, int expected)
    {
        var picker = Create(4, options: new PiecePickerOptions { StrictEndGameMode = strict });
        Peer(picker, "others", 1, 2, 3);                     // pieces 1..3 are free and available
        var a = Peer(picker, "a", 0);
        Request(picker, a, 4);
        Assert.False(picker.IsEndGame);
        var c = Peer(picker, "c", 0);                        // c has only the busy piece
        Assert.Equal(expected, Pick(picker, c, 4).Count);
    }

    [Fact]
    public void Pieces_nobody_has_do_not_hold_back_end_game()
    {
        var picker = Create(2);
        var a = Peer(picker, "a", 0);
        var b = Peer(picker, "b", 0);
        Request(picker, a, 4);
        Assert.True(picker.IsEndGame);                       // piece 1 exists nowhere
        Assert.Equal(4, Pick(picker, b, 4).Count);
    }
}
