// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Picking;
using Xunit;

namespace TorrentXT.Engine.Tests.Picking;

/// <summary>The picker driven the way the engine drives it, with churn, chokes, rejections,
/// timeouts and bad pieces: it must finish, stay consistent, and never duplicate a request
/// outside end-game.</summary>
public class SwarmSimulationTests
{
    private sealed class SimPeer(FakePeer view, int depth)
    {
        public FakePeer View { get; } = view;
        public int Depth { get; } = depth;
        public List<BlockRequest> Outstanding { get; } = new();
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void A_simulated_swarm_completes_the_torrent(int seed, bool sequential)
    {
        const int pieceLength = 4 * PieceLayout.BlockSize;
        var layout = PieceLayout.FromTotalSize(300L * pieceLength - 5000, pieceLength);
        var picker = new PiecePicker(layout, new Random(seed)) { Sequential = sequential };
        var rng = new Random(seed * 31);
        var peers = new List<SimPeer>();
        int names = 0;

        SimPeer Spawn(bool seedPeer)
        {
            var view = new FakePeer("p" + names++, layout.PieceCount) { DownloadRate = rng.Next(0, 3) * 50_000 };
            if (seedPeer)
            {
                view.HasAll = true;
                view.Pieces = null;
                picker.OnPeerHaveAll(view);
            }
            else
            {
                double density = 0.2 + rng.NextDouble() * 0.7;
                for (int p = 0; p < layout.PieceCount; p++) if (rng.NextDouble() < density) view.Pieces!.Set(p, true);
                picker.OnPeerBitfield(view, view.Pieces!);
            }
            var sim = new SimPeer(view, rng.Next(1, 24));
            peers.Add(sim);
            return sim;
        }

        Spawn(true);
        Spawn(true);
        for (int i = 0; i < 8; i++) Spawn(false);

        var picked = new List<BlockRequest>();
        var cancel = new List<IPeerView>();
        var contributors = new List<IPeerView>();
        int step;
        for (step = 0; step < 50_000 && !picker.IsFinished; step++)
        {
            if (rng.NextDouble() < 0.01 && peers.Count > 3)
            {
                // Churn: a non-seed leaves (seeds 0 and 1 stay so the torrent stays complete).
                var gone = peers[rng.Next(2, peers.Count)];
                peers.Remove(gone);
                picker.OnPeerGone(gone.View);
                Spawn(false);
            }
            var peer = peers[rng.Next(peers.Count)];
            var v = peer.View;
            if (rng.NextDouble() < 0.02)
            {
                // A choke without the fast extension voids every request; an unchoke follows later.
                v.IsChokingUs = !v.IsChokingUs;
                if (v.IsChokingUs) { picker.ReleaseRequests(v); peer.Outstanding.Clear(); }
            }
            v.IsSnubbed = rng.NextDouble() < 0.05;

            picked.Clear();
            bool endGame = picker.IsEndGame;
            picker.PickBlocks(v, peer.Depth - peer.Outstanding.Count, picked);
            foreach (var r in picked)
            {
                if (!endGame) Assert.NotEqual(BlockState.Requested, picker.GetBlockState(r.Piece, r.Block));
                Assert.DoesNotContain(r, peer.Outstanding);
                Assert.True(picker.OnRequestSent(v, r));
                peer.Outstanding.Add(r);
            }

            int deliveries = rng.Next(0, 6);
            for (int d = 0; d < deliveries && peer.Outstanding.Count > 0; d++)
            {
                int at = rng.Next(peer.Outstanding.Count);
                var block = peer.Outstanding[at];
                peer.Outstanding.RemoveAt(at);
                double roll = rng.NextDouble();
                if (roll < 0.03) { Assert.True(picker.OnRequestRejected(v, block)); continue; }
                if (roll < 0.05) { Assert.True(picker.OnRequestTimeout(v, block)); continue; }
                cancel.Clear();
                var result = picker.OnBlockReceived(v, block, cancel);
                foreach (var other in cancel)
                    Assert.True(peers.First(p => ReferenceEquals(p.View, other)).Outstanding.Remove(block));
                if (result != BlockReceiveResult.Accepted) continue;
                if (!picker.OnBlockWritten(block)) continue;
                contributors.Clear();
                bool passes = rng.NextDouble() > 0.03;
                picker.OnPieceHashed(block.Piece, passes, contributors);
                if (!passes) Assert.NotEmpty(contributors);
            }
            if (step % 500 == 0) picker.CheckInvariants();
        }

        Assert.True(picker.IsFinished, $"not finished after {step} steps: {picker.WantedCount} pieces left");
        Assert.True(picker.IsSeed);
        picker.CheckInvariants();
    }
}
