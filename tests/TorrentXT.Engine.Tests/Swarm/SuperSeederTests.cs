// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Swarm;
using TorrentXT.Engine.Torrents;
using Xunit;

namespace TorrentXT.Engine.Tests.Swarm;

/// <summary>BEP 16 choice rules of <see cref="SuperSeeder{TPeer}"/>, against a hand-made swarm.</summary>
public class SuperSeederTests
{
    private sealed class Peer(int pieces)
    {
        public readonly Bitfield Have = new(pieces);
    }

    /// <summary>A swarm of fake peers; availability is counted from their have sets like the picker does.</summary>
    private sealed class Swarm(int pieces, int seed = 1)
    {
        public readonly SuperSeeder<Peer> Seeder = new(pieces, new Random(seed));
        public readonly List<Peer> Peers = new();
        public bool Strict;

        public int Availability(int piece) => Peers.Count(p => p.Have[piece]);

        public Peer Connect(params int[] has)
        {
            var p = new Peer(Pieces);
            foreach (int i in has) p.Have.Set(i, true);
            Peers.Add(p);
            Seeder.Add(p);
            return p;
        }

        public int Pieces { get; } = pieces;

        public List<int> Refresh(Peer p)
        {
            var revealed = new List<int>();
            Seeder.Refresh(p, p.Have, false, Availability, Strict, revealed);
            return revealed;
        }

        /// <summary>The peer announces HAVE: it and every peer waiting on that piece are refreshed.</summary>
        public Dictionary<Peer, List<int>> Announce(Peer p, int piece)
        {
            p.Have.Set(piece, true);
            var waiting = new List<Peer>();
            Seeder.PeersWaitingOn(piece, p, waiting);
            var result = new Dictionary<Peer, List<int>> { [p] = Refresh(p) };
            foreach (var q in waiting) result[q] = Refresh(q);
            return result;
        }
    }

    [Fact]
    public void Reveals_two_pieces_the_peer_lacks_and_the_rarest_first()
    {
        var s = new Swarm(6);
        s.Connect(0, 1, 2, 3);          // others hold 0..3 once or twice
        s.Connect(0, 1);
        var p = s.Connect(4);           // lacks 0,1,2,3,5: 5 is held by nobody, 2 and 3 by one peer
        var first = s.Refresh(p);
        Assert.Equal(2, first.Count);
        Assert.Equal(5, first[0]);
        Assert.Contains(first[1], new[] { 2, 3 });
        Assert.DoesNotContain(4, first);
        Assert.Empty(s.Refresh(p));     // nothing new until one of them is retired
    }

    [Fact]
    public void A_piece_is_not_revealed_to_a_second_peer_while_others_are_free()
    {
        var s = new Swarm(4);
        var a = s.Connect();
        var b = s.Connect();
        var ra = s.Refresh(a);
        var rb = s.Refresh(b);
        Assert.Equal(4, ra.Concat(rb).Distinct().Count()); // four peers' worth of distinct pieces
        // A third peer: every piece is taken, so it gets two of them, once each, not nothing.
        var c = s.Connect();
        var rc = s.Refresh(c);
        Assert.Equal(2, rc.Distinct().Count());
    }

    [Fact]
    public void Ties_are_broken_at_random()
    {
        var seen = new HashSet<int>();
        for (int seed = 0; seed < 40; seed++)
        {
            var s = new Swarm(8, seed);
            seen.Add(s.Refresh(s.Connect())[0]);
        }
        Assert.True(seen.Count >= 4, $"only {seen.Count} distinct first picks over 40 seeds");
    }

    [Fact]
    public void Default_rule_the_peer_finishing_its_piece_brings_the_next_one()
    {
        var s = new Swarm(8);
        var a = s.Connect();
        var first = s.Refresh(a);
        var after = s.Announce(a, first[0]);
        Assert.Single(after[a]);
        Assert.DoesNotContain(after[a][0], first);
        Assert.Equal(2, s.Seeder.PendingOf(a).Count);
        Assert.DoesNotContain(first[0], s.Seeder.PendingOf(a));
    }

    [Fact]
    public void Strict_rule_waits_for_another_peers_have()
    {
        var s = new Swarm(8) { Strict = true };
        var a = s.Connect();
        var b = s.Connect();
        var ra = s.Refresh(a);
        s.Refresh(b);
        int piece = ra[0];
        Assert.Empty(s.Announce(a, piece)[a]);              // a has it; nobody else yet
        Assert.Contains(piece, s.Seeder.PendingOf(a));
        var after = s.Announce(b, piece);                   // b got it from a: passed on
        Assert.Single(after[a]);
        Assert.DoesNotContain(piece, s.Seeder.PendingOf(a));
    }

    [Fact]
    public void Strict_rule_does_not_stall_a_lone_peer()
    {
        var s = new Swarm(4) { Strict = true };
        var a = s.Connect();
        var ra = s.Refresh(a);
        Assert.Single(s.Announce(a, ra[0])[a]);
    }

    [Fact]
    public void A_disconnect_frees_its_pending_pieces()
    {
        // Over several seeds, so a leaked reveal (a tie among three pieces) would show.
        for (int seed = 0; seed < 12; seed++)
        {
            var s = new Swarm(3, seed);
            var x = s.Connect();
            var rx = s.Refresh(x);                          // two of the three pieces
            var y = s.Connect();
            var ry = s.Refresh(y);                          // the untaken piece, then one of x's
            Assert.DoesNotContain(ry[0], rx);
            s.Seeder.Remove(x);
            s.Peers.Remove(x);
            Assert.False(s.Seeder.Tracks(x));
            Assert.True(s.Seeder.MayRequest(x, 0));        // untracked: the full view
            var z = s.Connect();
            int freed = rx.Single(i => !ry.Contains(i));   // x's piece nobody else waits on
            Assert.Equal(freed, s.Refresh(z)[0]);
        }
    }

    [Fact]
    public void Requests_are_allowed_only_for_revealed_pieces()
    {
        var s = new Swarm(16);
        var a = s.Connect();
        var ra = s.Refresh(a);
        for (int i = 0; i < 16; i++) Assert.Equal(ra.Contains(i), s.Seeder.MayRequest(a, i));
        Assert.False(s.Seeder.MayRequest(a, -1));
        Assert.False(s.Seeder.MayRequest(a, 16));
        // A revealed piece stays requestable after it is retired (the peer may re-fetch a failed piece).
        s.Announce(a, ra[0]);
        Assert.True(s.Seeder.MayRequest(a, ra[0]));
    }

    [Fact]
    public void A_peer_that_has_everything_else_gets_nothing_more()
    {
        var s = new Swarm(3);
        var a = s.Connect(0, 1, 2);
        Assert.Empty(s.Refresh(a));
        var revealed = new List<int>();
        var b = s.Connect();
        s.Seeder.Refresh(b, null, true, s.Availability, false, revealed); // HAVE ALL
        Assert.Empty(revealed);
    }
}
