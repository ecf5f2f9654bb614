// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Choking;
using TorrentXT.Engine.Settings;
using Xunit;

namespace TorrentXT.Engine.Tests.Choking;

public class ChokerTests
{
    private static readonly TimeSpan Now = TimeSpan.FromMinutes(10);
    private const long PieceLength = 256 * 1024;

    private static ChokerPeer Leecher(int id, long downloadRate = 0) => new()
    {
        Id = id,
        Interested = true,
        ChokedByUs = true,
        DownloadRate = downloadRate,
        PieceLength = PieceLength,
    };

    private static ChokeDecision Decide(ChokerPeer[] peers, ChokerSettings? settings = null, TimeSpan? lastRotation = null)
    {
        var decision = new ChokeDecision();
        Choker.Decide(peers, settings ?? ChokerSettings.Default, Now, lastRotation, decision);
        return decision;
    }

    [Fact]
    public void The_defaults_are_libtorrents()
    {
        var s = ChokerSettings.FromSettings(new SettingsPack());
        Assert.Equal(8, s.UnchokeSlotsLimit);
        Assert.Equal(0, s.NumOptimisticUnchokeSlots);
        Assert.Equal(TimeSpan.FromSeconds(15), s.UnchokeInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), s.OptimisticUnchokeInterval);
        Assert.Equal(ChokingAlgorithm.FixedSlots, s.Algorithm);
        Assert.Equal(SeedChokingAlgorithm.RoundRobin, s.SeedAlgorithm);
        Assert.Equal(20, s.SeedingPieceQuota);
    }

    [Fact]
    public void While_downloading_the_fastest_uploaders_to_us_get_the_regular_slots()
    {
        // 12 interested peers, peer i sends us i × 1000 B/s. 8 slots = 7 regular + 1 optimistic.
        var peers = Enumerable.Range(1, 12).Select(i => Leecher(i, i * 1000)).ToArray();
        var d = Decide(peers);
        Assert.Equal(8, d.Slots);
        Assert.Equal(1, d.OptimisticSlots);
        Assert.Equal([12, 11, 10, 9, 8, 7, 6], d.Unchoke.Take(7));
        Assert.Single(d.Optimistic);
        Assert.InRange(d.Optimistic[0], 1, 5);
        Assert.Equal(8, d.Unchoke.Count);
    }

    [Fact]
    public void Peers_that_are_not_interested_stay_choked()
    {
        var peers = new[] { Leecher(1, 9999) with { Interested = false }, Leecher(2, 10) };
        var d = Decide(peers);
        Assert.Equal([2], d.Unchoke);
    }

    [Fact]
    public void Snubbed_peers_rank_after_the_others_while_downloading()
    {
        var peers = Enumerable.Range(1, 10).Select(i => Leecher(i, 100)).ToArray();
        peers[0] = Leecher(1, 100_000) with { IsSnubbed = true };
        var d = Decide(peers, ChokerSettings.Default with { NumOptimisticUnchokeSlots = 1, UnchokeSlotsLimit = 4 });
        Assert.DoesNotContain(1, d.Unchoke.Take(3));
    }

    [Fact]
    public void Automatic_optimistic_slots_are_a_fifth_of_the_slots_and_at_least_one()
    {
        var peers = Enumerable.Range(1, 40).Select(i => Leecher(i)).ToArray();
        Assert.Equal(4, Decide(peers, new ChokerSettings { UnchokeSlotsLimit = 20 }).OptimisticSlots);
        Assert.Equal(1, Decide(peers, new ChokerSettings { UnchokeSlotsLimit = 3 }).OptimisticSlots);
        Assert.Equal(2, Decide(peers, new ChokerSettings { NumOptimisticUnchokeSlots = 2 }).OptimisticSlots);
        Assert.Equal(20, Decide(peers, new ChokerSettings { UnchokeSlotsLimit = 20 }).Unchoke.Count);
    }

    [Fact]
    public void Unlimited_slots_unchoke_every_interested_peer()
    {
        var peers = Enumerable.Range(1, 30).Select(i => Leecher(i)).Append(Leecher(99) with { Interested = false }).ToArray();
        var d = Decide(peers, new ChokerSettings { UnchokeSlotsLimit = -1 });
        Assert.Equal(30, d.Unchoke.Count);
        Assert.Empty(d.Optimistic);
    }

    [Fact]
    public void A_torrents_max_uploads_caps_its_regular_slots()
    {
        var peers = Enumerable.Range(1, 6).Select(i => Leecher(i, 1000 * i) with { Torrent = 1, TorrentMaxUploads = 2 })
            .Concat(Enumerable.Range(7, 6).Select(i => Leecher(i, 10) with { Torrent = 2 }))
            .ToArray();
        var d = Decide(peers, new ChokerSettings { UnchokeSlotsLimit = 8, NumOptimisticUnchokeSlots = 1 });
        var regular = d.Unchoke.Except(d.Optimistic).ToList();
        Assert.Equal(2, regular.Count(id => id <= 6));
        Assert.Contains(6, regular);
        Assert.Contains(5, regular);
        Assert.Equal(7, regular.Count);
    }

    [Fact]
    public void The_optimistic_slot_holds_until_the_interval_then_goes_to_who_waited_longest()
    {
        var settings = new ChokerSettings { UnchokeSlotsLimit = 2, NumOptimisticUnchokeSlots = 1 };
        var peers = new[]
        {
            Leecher(1, 5000) with { ChokedByUs = false, LastUnchoke = Now - TimeSpan.FromMinutes(5) },
            Leecher(2) with { ChokedByUs = false, IsOptimistic = true, LastOptimisticUnchoke = Now - TimeSpan.FromSeconds(10) },
            Leecher(3) with { LastOptimisticUnchoke = Now - TimeSpan.FromMinutes(3) },
            Leecher(4),                                                        // never had one
            Leecher(5) with { LastOptimisticUnchoke = Now - TimeSpan.FromMinutes(1) },
        };
        var kept = Decide(peers, settings, lastRotation: Now - TimeSpan.FromSeconds(10));
        Assert.Equal([2], kept.Optimistic);
        Assert.False(kept.OptimisticRotated);
        Assert.Equal([1, 2], kept.Unchoke);

        var rotated = Decide(peers, settings, lastRotation: Now - TimeSpan.FromSeconds(30));
        Assert.Equal([4], rotated.Optimistic);
        Assert.True(rotated.OptimisticRotated);
        Assert.Equal([1, 4], rotated.Unchoke);
    }

    [Fact]
    public void An_optimistic_holder_that_loses_interest_is_replaced_without_a_rotation()
    {
        var settings = new ChokerSettings { UnchokeSlotsLimit = 2, NumOptimisticUnchokeSlots = 1 };
        var peers = new[]
        {
            Leecher(1, 5000) with { ChokedByUs = false },
            Leecher(2) with { ChokedByUs = false, IsOptimistic = true, Interested = false },
            Leecher(3) with { LastOptimisticUnchoke = Now - TimeSpan.FromMinutes(3) },
        };
        var d = Decide(peers, settings, lastRotation: Now - TimeSpan.FromSeconds(5));
        Assert.Equal([3], d.Optimistic);
        Assert.False(d.OptimisticRotated);
    }

    [Fact]
    public void An_optimistic_peer_that_earns_a_regular_slot_frees_the_optimistic_one()
    {
        var settings = new ChokerSettings { UnchokeSlotsLimit = 2, NumOptimisticUnchokeSlots = 1 };
        var peers = new[]
        {
            Leecher(1, 10) with { ChokedByUs = false },
            Leecher(2, 9000) with { ChokedByUs = false, IsOptimistic = true, LastOptimisticUnchoke = Now - TimeSpan.FromSeconds(5) },
            Leecher(3),
        };
        var d = Decide(peers, settings, lastRotation: Now - TimeSpan.FromSeconds(5));
        Assert.Equal(2, d.Unchoke[0]);
        Assert.Equal([3], d.Optimistic);
    }

    [Fact]
    public void While_seeding_round_robin_rotates_peers_that_got_their_quota()
    {
        // 3 regular slots (4 slots, 1 optimistic). Quota = 20 pieces of 256 KiB.
        long quota = 20 * PieceLength;
        var settings = new ChokerSettings { UnchokeSlotsLimit = 4, NumOptimisticUnchokeSlots = 1 };
        ChokerPeer Seeding(int id) => Leecher(id) with { TorrentSeeding = true };
        var peers = new[]
        {
            Seeding(1) with { ChokedByUs = false, UploadedSinceUnchoke = quota, LastUnchoke = Now - TimeSpan.FromMinutes(2) },  // served
            Seeding(2) with { ChokedByUs = false, UploadedSinceUnchoke = quota / 2, LastUnchoke = Now - TimeSpan.FromMinutes(1) }, // mid-quota
            Seeding(3) with { ChokedByUs = false, UploadedSinceUnchoke = quota + 1, LastUnchoke = Now - TimeSpan.FromMinutes(3) }, // served
            Seeding(4) with { LastUnchoke = Now - TimeSpan.FromMinutes(30) },  // choked, waited long
            Seeding(5) with { LastUnchoke = Now - TimeSpan.FromMinutes(5) },   // choked, waited less
            Seeding(6),                                                        // never unchoked
        };
        var d = Decide(peers, settings, lastRotation: Now);
        Assert.Equal([2, 6, 4], d.Unchoke.Take(3));
        Assert.DoesNotContain(1, d.Unchoke.Take(3));
        Assert.DoesNotContain(3, d.Unchoke.Take(3));
    }

    [Fact]
    public void Fastest_upload_and_anti_leech_rank_seeding_peers_their_way()
    {
        ChokerPeer Seeding(int id) => Leecher(id) with { TorrentSeeding = true };
        var peers = new[]
        {
            Seeding(1) with { UploadRate = 10, Progress = 0.5 },
            Seeding(2) with { UploadRate = 300, Progress = 0.98 },
            Seeding(3) with { UploadRate = 200, Progress = 0.02 },
        };
        var fastest = Decide(peers, new ChokerSettings { UnchokeSlotsLimit = 3, NumOptimisticUnchokeSlots = 1, SeedAlgorithm = SeedChokingAlgorithm.FastestUpload });
        Assert.Equal([2, 3], fastest.Unchoke.Take(2));
        var antiLeech = Decide(peers, new ChokerSettings { UnchokeSlotsLimit = 3, NumOptimisticUnchokeSlots = 1, SeedAlgorithm = SeedChokingAlgorithm.AntiLeech });
        Assert.DoesNotContain(1, antiLeech.Unchoke.Take(2));
    }

    [Fact]
    public void The_rate_based_choker_opens_slots_as_upload_rates_clear_rising_thresholds()
    {
        // Thresholds 1 KiB/s, 2 KiB/s, 3 KiB/s, ...: rates 5000, 2500, 2100, 100 clear the first two.
        var peers = new[] { 5000L, 2500, 2100, 100 }.Select((r, i) => Leecher(i + 1) with { UploadRate = r }).ToArray();
        var d = Decide(peers, new ChokerSettings { Algorithm = ChokingAlgorithm.RateBased });
        Assert.Equal(3, d.Slots);
        Assert.Equal(3, d.Unchoke.Count);
    }

    [Fact]
    public void A_decision_object_is_reused_across_rounds()
    {
        var d = new ChokeDecision();
        Choker.Decide([Leecher(1)], ChokerSettings.Default, Now, null, d);
        Choker.Decide([Leecher(2)], ChokerSettings.Default, Now, null, d);
        Assert.Equal([2], d.Unchoke);
    }
}
