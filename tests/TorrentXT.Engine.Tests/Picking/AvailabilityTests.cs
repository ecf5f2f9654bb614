// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Picking;
using Xunit;
using static TorrentXT.Engine.Tests.Picking.PickerHarness;

namespace TorrentXT.Engine.Tests.Picking;

public class AvailabilityTests
{
    [Fact]
    public void Bitfields_haves_and_seeds_add_up_and_a_departure_takes_them_back()
    {
        var picker = Create(8);
        var a = Peer(picker, "a", 0, 1, 2);
        var b = Peer(picker, "b", 2, 3);
        var seed = Seed(picker);
        Assert.Equal([2, 2, 3, 2, 1, 1, 1, 1], Enumerable.Range(0, 8).Select(picker.Availability));

        b.Pieces!.Set(7, true);
        picker.OnPeerHave(b, 7);
        Assert.Equal(2, picker.Availability(7));

        picker.OnPeerGone(b);
        Assert.Equal([2, 2, 2, 1, 1, 1, 1, 1], Enumerable.Range(0, 8).Select(picker.Availability));
        picker.OnPeerGone(seed);
        picker.OnPeerGone(a);
        Assert.All(Enumerable.Range(0, 8), p => Assert.Equal(0, picker.Availability(p)));
        Assert.Equal(0, picker.SeedCount);
        picker.CheckInvariants();
    }

    [Fact]
    public void A_peer_reported_gone_twice_or_never_seen_changes_nothing()
    {
        var picker = Create(4);
        var a = Peer(picker, "a", 1);
        picker.OnPeerGone(a);
        picker.OnPeerGone(a);
        picker.OnPeerGone(new FakePeer("stranger", 4));
        Assert.Equal(0, picker.Availability(1));
        picker.CheckInvariants();
    }

    [Fact]
    public void Interest_means_the_peer_has_a_piece_we_still_want()
    {
        var picker = Create(100);
        var peer = Peer(picker, "p", 70);
        Assert.True(picker.IsInteresting(peer));
        picker.SetPiecePriority(70, 0);
        Assert.False(picker.IsInteresting(peer));
        picker.SetPiecePriority(70, 1);
        picker.MarkHave(70);
        Assert.False(picker.IsInteresting(peer));
        Assert.True(picker.IsInteresting(Seed(picker)));
        Assert.False(picker.IsInteresting(Peer(picker, "empty")));
    }

    [Fact]
    public void Many_peers_grow_the_availability_buckets_without_losing_order()
    {
        // More peers than the initial bucket count forces the buckets to be rebuilt.
        var picker = CreatePastRandomFirst(40);
        var peers = new List<FakePeer>();
        for (int i = 0; i < 100; i++) peers.Add(Peer(picker, "p" + i, Enumerable.Range(0, 30).ToArray()));
        var rare = Peer(picker, "rare", 30, 31, 32, 33, 34, 35);
        picker.CheckInvariants();
        Assert.Equal(100, picker.Availability(0));
        // Pieces 30..35 (one peer) are rarer than 0..29 (101 peers).
        var seed = Seed(picker);
        Assert.InRange(Pick(picker, seed, 1)[0].Piece, 30, 35);
        foreach (var p in peers) picker.OnPeerGone(p);
        picker.OnPeerGone(rare);
        picker.CheckInvariants();
    }
}
