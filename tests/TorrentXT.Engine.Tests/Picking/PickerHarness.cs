// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Picking;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Tests.Picking;

/// <summary>A peer as the picker sees it, with every field settable.</summary>
internal sealed class FakePeer(string name, int pieceCount) : IPeerView
{
    public string Name { get; } = name;
    public Bitfield? Pieces { get; set; } = new Bitfield(pieceCount);
    public bool HasAll { get; set; }
    public bool IsChokingUs { get; set; }
    public List<int> Fast { get; } = new();
    public IReadOnlyList<int> AllowedFast => Fast;
    public long DownloadRate { get; set; }
    public bool IsSnubbed { get; set; }
    public override string ToString() => Name;
}

internal static class PickerHarness
{
    public const int Block = PieceLayout.BlockSize;

    /// <summary>A picker over <paramref name="pieces"/> pieces of <paramref name="blocksPerPiece"/> blocks.</summary>
    public static PiecePicker Create(int pieces, int blocksPerPiece = 4, int seed = 1, PiecePickerOptions? options = null)
        => new(new PieceLayout(pieces, blocksPerPiece * Block, blocksPerPiece * Block), new Random(seed), options);

    /// <summary>A picker that already has <paramref name="have"/> pieces (so random-first is over).</summary>
    public static PiecePicker CreatePastRandomFirst(int pieces, int blocksPerPiece = 4, int seed = 1, PiecePickerOptions? options = null)
    {
        var picker = Create(pieces, blocksPerPiece, seed, options);
        for (int p = pieces - 4; p < pieces; p++) picker.MarkHave(p);
        return picker;
    }

    public static FakePeer Seed(PiecePicker picker, string name = "seed")
    {
        var peer = new FakePeer(name, picker.PieceCount) { HasAll = true, Pieces = null };
        picker.OnPeerHaveAll(peer);
        return peer;
    }

    public static FakePeer Peer(PiecePicker picker, string name, params int[] pieces)
    {
        var peer = new FakePeer(name, picker.PieceCount);
        foreach (int p in pieces) peer.Pieces!.Set(p, true);
        picker.OnPeerBitfield(peer, peer.Pieces!);
        return peer;
    }

    public static List<BlockRequest> Pick(PiecePicker picker, IPeerView peer, int max)
    {
        var list = new List<BlockRequest>();
        picker.PickBlocks(peer, max, list);
        return list;
    }

    /// <summary>Picks and records every pick as sent.</summary>
    public static List<BlockRequest> Request(PiecePicker picker, IPeerView peer, int max)
    {
        var list = Pick(picker, peer, max);
        foreach (var r in list) Xunit.Assert.True(picker.OnRequestSent(peer, r), $"request {r} refused");
        return list;
    }

    /// <summary>Delivers, writes and (when the piece completes) hash-passes a block.</summary>
    public static void Deliver(PiecePicker picker, IPeerView peer, BlockRequest block, bool hashPasses = true)
    {
        Xunit.Assert.Equal(BlockReceiveResult.Accepted, picker.OnBlockReceived(peer, block));
        if (picker.OnBlockWritten(block)) picker.OnPieceHashed(block.Piece, hashPasses);
    }

    public static IEnumerable<int> PiecesOf(IEnumerable<BlockRequest> blocks) => blocks.Select(b => b.Piece).Distinct();
}
