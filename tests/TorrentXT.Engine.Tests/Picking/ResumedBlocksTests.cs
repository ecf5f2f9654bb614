// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Picking;
using Xunit;
using static TorrentXT.Engine.Tests.Picking.PickerHarness;

namespace TorrentXT.Engine.Tests.Picking;

/// <summary>Resume data's 'unfinished' blocks: taken as written on start, handed out on save.</summary>
public class ResumedBlocksTests
{
    [Fact]
    public void Blocks_marked_written_are_never_requested_and_the_last_new_block_completes_the_piece()
    {
        var picker = Create(4, blocksPerPiece: 4);
        Assert.Equal(2, picker.MarkBlocksWritten(2, [0b1010_0000])); // blocks 0 and 2
        picker.CheckInvariants();
        Assert.True(picker.IsInProgress(2));
        Assert.Equal(BlockState.Finished, picker.GetBlockState(2, 0));
        Assert.Equal(BlockState.Free, picker.GetBlockState(2, 1));
        Assert.Equal(BlockState.Finished, picker.GetBlockState(2, 2));

        var seed = Seed(picker);
        var sent = Request(picker, seed, 100);
        Assert.Equal(14, sent.Count); // 16 blocks less the 2 on disk
        Assert.DoesNotContain(new BlockRequest(2, 0, Block), sent);
        Assert.DoesNotContain(new BlockRequest(2, 2 * Block, Block), sent);
        // A partial piece is continued before new ones are started.
        Assert.Equal(2, sent[0].Piece);

        var b1 = new BlockRequest(2, Block, Block);
        var b3 = new BlockRequest(2, 3 * Block, Block);
        Assert.Equal(BlockReceiveResult.Accepted, picker.OnBlockReceived(seed, b1));
        Assert.False(picker.OnBlockWritten(b1));
        Assert.Equal(BlockReceiveResult.Accepted, picker.OnBlockReceived(seed, b3));
        Assert.True(picker.OnBlockWritten(b3)); // old + new blocks: the piece goes to its check
        picker.CheckInvariants();
    }

    [Fact]
    public void A_failed_check_frees_the_resumed_blocks_too()
    {
        var picker = Create(2, blocksPerPiece: 2);
        Assert.Equal(1, picker.MarkBlocksWritten(0, [0x80]));
        var seed = Seed(picker);
        var b1 = new BlockRequest(0, Block, Block);
        Assert.True(picker.OnRequestSent(seed, b1));
        Deliver(picker, seed, b1, hashPasses: false);
        Assert.False(picker.IsInProgress(0));
        Assert.Equal(BlockState.Free, picker.GetBlockState(0, 0));
        Assert.Contains(new BlockRequest(0, 0, Block), Pick(picker, seed, 10));
        picker.CheckInvariants();
    }

    [Fact]
    public void Masks_that_cannot_apply_mark_nothing()
    {
        var picker = Create(3, blocksPerPiece: 4);
        picker.MarkHave(0);
        Assert.Equal(0, picker.MarkBlocksWritten(0, [0x80]));        // had
        Assert.Equal(0, picker.MarkBlocksWritten(1, [0xF0]));        // every block: nothing would check it
        Assert.Equal(0, picker.MarkBlocksWritten(1, [0x0F]));        // only bits past the piece's blocks
        Assert.Equal(0, picker.MarkBlocksWritten(1, []));
        Assert.Equal(0, picker.MarkBlocksWritten(7, [0x80]));        // no such piece
        Assert.Equal(0, picker.MarkBlocksWritten(-1, [0x80]));
        Assert.Equal(1, picker.MarkBlocksWritten(2, [0x8F]));        // stray bits ignored
        Assert.Equal(0, picker.MarkBlocksWritten(2, [0x40]));        // already in progress
        Assert.False(picker.IsInProgress(1));
        picker.CheckInvariants();
    }

    [Fact]
    public void Only_blocks_on_disk_are_collected()
    {
        var picker = Create(4, blocksPerPiece: 10);
        var seed = Seed(picker);
        picker.MarkBlocksWritten(3, [0x00, 0x40]); // block 9
        var written = new BlockRequest(1, 0, Block);
        var writing = new BlockRequest(1, 8 * Block, Block);
        var requested = new BlockRequest(1, 2 * Block, Block);
        Assert.True(picker.OnRequestSent(seed, requested));
        Assert.Equal(BlockReceiveResult.Accepted, picker.OnBlockReceived(seed, written));
        Assert.False(picker.OnBlockWritten(written));
        Assert.Equal(BlockReceiveResult.Accepted, picker.OnBlockReceived(seed, writing)); // not yet on disk
        var only = new BlockRequest(0, Block, Block);
        Assert.True(picker.OnRequestSent(seed, only)); // requested only: nothing to record

        var list = new List<(int Piece, byte[] Bitmask)>();
        picker.CollectWrittenBlocks(list);
        list.Sort((a, b) => a.Piece.CompareTo(b.Piece));
        Assert.Equal(2, list.Count);
        Assert.Equal(1, list[0].Piece);
        Assert.Equal(new byte[] { 0x80, 0x00 }, list[0].Bitmask);
        Assert.Equal(3, list[1].Piece);
        Assert.Equal(new byte[] { 0x00, 0x40 }, list[1].Bitmask);

        // What was collected is what a new picker takes back.
        var next = Create(4, blocksPerPiece: 10);
        foreach (var (piece, mask) in list) Assert.Equal(1, next.MarkBlocksWritten(piece, mask));
        var again = new List<(int Piece, byte[] Bitmask)>();
        next.CollectWrittenBlocks(again);
        Assert.Equal(list.Select(u => (u.Piece, Convert.ToHexString(u.Bitmask))).OrderBy(u => u.Piece),
            again.Select(u => (u.Piece, Convert.ToHexString(u.Bitmask))).OrderBy(u => u.Piece));
    }
}
