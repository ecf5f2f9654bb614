// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Creation;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Tests.Creation;
using Xunit;

namespace TorrentXT.Engine.Tests.Storage;

/// <summary>
/// A piece begun before a restart (resume data's 'unfinished') and completed after it: the new
/// storage streamed only this run's blocks, so its check must read the earlier blocks back.
/// </summary>
public sealed class ResumedPieceHashTests
{
    [Theory]
    [InlineData(CreateTorrentFlags.None)]   // hybrid
    [InlineData(CreateTorrentFlags.V1Only)]
    [InlineData(CreateTorrentFlags.V2Only)]
    public void A_piece_finished_after_a_restart_checks_with_the_blocks_of_both_runs(CreateTorrentFlags flags)
    {
        using var source = new ScratchDir();
        using var dir = new ScratchDir();
        var info = MultiBlockContent.Create(source.Path, flags);
        var blocks = MultiBlockContent.Blocks(info);
        using var complete = new TorrentStorage(info, source.Path);
        // Run 1 writes the odd blocks of each piece: run 2's in-order SHA-1 prefix and its v2
        // leaves both miss them.
        using (var first = new TorrentStorage(info, dir.Path))
        {
            foreach (var (p, o, n) in blocks)
                if (o / MultiBlockContent.BlockSize % 2 == 1) first.WriteBlock(p, o, MultiBlockContent.Read(complete, p, o, n));
            first.Flush();
        }
        using var second = new TorrentStorage(info, dir.Path);
        foreach (var (p, o, n) in blocks)
            if (o / MultiBlockContent.BlockSize % 2 == 0) second.WriteBlock(p, o, MultiBlockContent.Read(complete, p, o, n));
        Assert.All(StorageVectors.AllPieces(info), p => Assert.True(second.HashPiece(p), $"piece {p}"));
        Assert.Equal(0, second.StreamingPieces);
    }

    [Theory]
    [InlineData(CreateTorrentFlags.None)]
    [InlineData(CreateTorrentFlags.V1Only)]
    [InlineData(CreateTorrentFlags.V2Only)]
    public void A_bad_block_from_before_the_restart_fails_the_piece_until_it_is_fetched_again(CreateTorrentFlags flags)
    {
        using var source = new ScratchDir();
        using var dir = new ScratchDir();
        var info = MultiBlockContent.Create(source.Path, flags);
        var blocks = MultiBlockContent.Blocks(info).Where(b => b.Piece == 0).ToList();
        Assert.Equal(4, blocks.Count);
        using var complete = new TorrentStorage(info, source.Path);
        using (var first = new TorrentStorage(info, dir.Path))
        {
            var (p, o, n) = blocks[2];
            var bad = MultiBlockContent.Read(complete, p, o, n);
            bad[n / 2] ^= 0x5A;
            first.WriteBlock(p, o, bad);
            first.Flush();
        }
        using var second = new TorrentStorage(info, dir.Path);
        foreach (var (p, o, n) in blocks)
            if (o != blocks[2].Offset) second.WriteBlock(p, o, MultiBlockContent.Read(complete, p, o, n));
        Assert.False(second.HashPiece(0));
        second.DiscardPieceHashState(0);
        foreach (var (p, o, n) in blocks) second.WriteBlock(p, o, MultiBlockContent.Read(complete, p, o, n));
        Assert.True(second.HashPiece(0));
    }
}
