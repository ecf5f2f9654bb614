// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Swarm;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Torrents;
using Xunit;

namespace TorrentXT.Engine.Tests.Swarm;

/// <summary>The request bookkeeping: each block is requested once, lost requests come back, a failed piece is fetched again.</summary>
public class BlockTrackerTests
{
    private static readonly FileStorage Files = TestTorrents.Load("v1_multi").Files;

    private static BlockTracker Empty(byte priority = 4)
    {
        var prio = new byte[Files.NumPieces];
        Array.Fill(prio, priority);
        return new BlockTracker(Files, new byte[(Files.NumPieces + 7) / 8], prio);
    }

    [Fact]
    public void Picks_every_block_of_every_piece_exactly_once()
    {
        var t = Empty();
        var seen = new HashSet<(int, int)>();
        while (t.TryPick(null, peerHasAll: true, out int piece, out int block))
            Assert.True(seen.Add((piece, block)));
        int expected = Enumerable.Range(0, Files.NumPieces).Sum(t.BlocksIn);
        Assert.Equal(expected, seen.Count);
    }

    [Fact]
    public void Only_pieces_the_peer_has_are_picked()
    {
        var t = Empty();
        var peer = new Bitfield(Files.NumPieces);
        peer.Set(Files.NumPieces - 1, true);
        Assert.True(t.TryPick(peer, false, out int piece, out _));
        Assert.Equal(Files.NumPieces - 1, piece);
        Assert.False(t.TryPick(new Bitfield(Files.NumPieces), false, out _, out _));
        Assert.True(t.Wants(peer, false));
        Assert.False(t.Wants(new Bitfield(Files.NumPieces), false));
    }

    [Fact]
    public void A_released_block_is_picked_again_and_a_duplicate_is_not_written_twice()
    {
        var t = Empty();
        Assert.True(t.TryPick(null, true, out int piece, out int block));
        t.Release(piece, block);
        Assert.True(t.TryPick(null, true, out int p2, out int b2));
        Assert.Equal((piece, block), (p2, b2));
        Assert.True(t.OnReceived(piece, block));
        Assert.False(t.OnReceived(piece, block));
    }

    [Fact]
    public void A_piece_completes_when_all_its_blocks_are_written_and_a_failed_piece_is_downloaded_again()
    {
        var t = Empty();
        int n = t.BlocksIn(0);
        for (int b = 0; b < n; b++)
        {
            Assert.True(t.TryPick(null, true, out int piece, out int block));
            Assert.Equal((0, b), (piece, block));
            Assert.True(t.OnReceived(0, b));
        }
        for (int b = 0; b < n - 1; b++) Assert.False(t.OnWritten(0));
        Assert.True(t.OnWritten(0));
        t.OnFailed(0);
        Assert.True(t.TryPick(null, true, out int again, out int first));
        Assert.Equal((0, 0), (again, first));
        Assert.False(t.Have(0));
    }

    [Fact]
    public void Passed_pieces_count_towards_done_and_priority_zero_pieces_are_never_picked()
    {
        var t = Empty(priority: 0);
        Assert.True(t.IsDone);
        Assert.False(t.TryPick(null, true, out _, out _));
        var prio = new byte[Files.NumPieces];
        prio[0] = 1;
        t.SetPriorities(prio);
        Assert.False(t.IsDone);
        t.OnPassed(0);
        Assert.True(t.IsDone && t.Have(0));
    }
}
