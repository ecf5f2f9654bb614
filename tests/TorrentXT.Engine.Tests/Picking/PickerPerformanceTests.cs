// SPDX-License-Identifier: MIT
using System.Diagnostics;
using TorrentXT.Engine.Picking;
using Xunit;
using Xunit.Abstractions;

namespace TorrentXT.Engine.Tests.Picking;

/// <summary>Prints how long a pick takes on a large torrent; asserts correctness, not time.</summary>
public class PickerPerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void A_pick_on_a_100k_piece_torrent_with_50_peers_does_not_scan_every_piece()
    {
        const int pieces = 100_000;
        var layout = new PieceLayout(pieces, 256 * 1024, 256 * 1024);
        var picker = new PiecePicker(layout, new Random(1));
        var rng = new Random(2);
        var peers = new List<FakePeer>();
        for (int i = 0; i < 10; i++)
        {
            var s = new FakePeer("seed" + i, pieces) { HasAll = true, Pieces = null, DownloadRate = i % 2 == 0 ? 2_000_000 : 1_000 };
            picker.OnPeerHaveAll(s);
            peers.Add(s);
        }
        for (int i = 0; i < 40; i++)
        {
            var p = new FakePeer("peer" + i, pieces) { DownloadRate = i * 10_000 };
            double density = 0.5 + rng.NextDouble() * 0.45;
            for (int piece = 0; piece < pieces; piece++) if (rng.NextDouble() < density) p.Pieces!.Set(piece, true);
            picker.OnPeerBitfield(p, p.Pieces!);
            peers.Add(p);
        }

        var into = new List<BlockRequest>(64);
        long pickTicks = 0;
        int picks = 0, blocks = 0;
        for (int round = 0; round < 20_000; round++)
        {
            var peer = peers[round % peers.Count];
            into.Clear();
            long t0 = Stopwatch.GetTimestamp();
            picker.PickBlocks(peer, 16, into);
            pickTicks += Stopwatch.GetTimestamp() - t0;
            picks++;
            blocks += into.Count;
            foreach (var r in into) picker.OnRequestSent(peer, r);
            // Every other round the blocks arrive at once; otherwise they stay in flight for a while.
            if (round % 2 == 0) Drain(picker, peer, into);
            else if (round % 10 == 1) { picker.ReleaseRequests(peer); }
        }
        double micros = pickTicks * 1_000_000.0 / Stopwatch.Frequency / picks;
        output.WriteLine($"PickBlocks: {picks} picks on {pieces} pieces, 50 peers: {micros:F2} us average, {blocks} blocks, {picker.HaveCount} pieces done, {picker.PiecesInProgress} in progress");

        // A peer with few pieces takes the bitfield path.
        var sparse = new FakePeer("sparse", pieces);
        for (int piece = 0; piece < pieces; piece += 997) sparse.Pieces!.Set(piece, true);
        picker.OnPeerBitfield(sparse, sparse.Pieces!);
        for (int i = 0; i < 2000; i++) { into.Clear(); picker.PickBlocks(sparse, 16, into); } // let the JIT tier up
        long s0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < 2000; i++) { into.Clear(); picker.PickBlocks(sparse, 16, into); }
        double sparseMicros = (Stopwatch.GetTimestamp() - s0) * 1_000_000.0 / Stopwatch.Frequency / 2000;
        output.WriteLine($"PickBlocks for a peer with {sparse.Pieces!.Count} pieces: {sparseMicros:F2} us average");

        Assert.True(blocks >= picks * 15, "almost every pick should fill its 16 blocks");
        Assert.NotEmpty(into);
        picker.CheckInvariants();
    }

    private static void Drain(PiecePicker picker, IPeerView peer, List<BlockRequest> blocks)
    {
        foreach (var r in blocks)
        {
            if (picker.OnBlockReceived(peer, r) != BlockReceiveResult.Accepted) continue;
            if (picker.OnBlockWritten(r)) picker.OnPieceHashed(r.Piece, true);
        }
    }
}
