// SPDX-License-Identifier: MIT
using System.Buffers;

namespace TorrentXT.Engine.Choking;

/// <summary>
/// libtorrent's default unchoking as a pure function: peer snapshots, limits and "now" in, the set
/// to unchoke out. Run it every <see cref="ChokerSettings.UnchokeInterval"/> (and when a slot frees).
/// <list type="bullet">
/// <item>Only interested peers are unchoked.</item>
/// <item>Slots: <c>unchoke_slots_limit</c> with the fixed-slots choker (-1 = everyone); with the
///   rate-based choker, one slot plus one per peer (fastest upload first) whose upload rate clears a
///   threshold that starts at 1 KiB/s and rises 1 KiB/s per slot opened, capped by the limit.</item>
/// <item>Optimistic slots: <c>num_optimistic_unchoke_slots</c>, or when 0, 20% of the slots and at
///   least one; they are part of the slot count, the rest are regular slots.</item>
/// <item>Regular slots go to the best ranked peers (<see cref="UnchokeOrder"/>): tit-for-tat while
///   downloading, the seed algorithm (round-robin by default) while seeding; a torrent's
///   <see cref="ChokerPeer.TorrentMaxUploads"/> caps its regular slots.</item>
/// <item>Optimistic slots keep their holders until <c>optimistic_unchoke_interval</c> has passed
///   since the last rotation; then (or to fill an empty slot) they go to the choked interested
///   peers that waited longest for one.</item>
/// </list>
/// </summary>
public static class Choker
{
    private const long RateStep = 1024;

    /// <param name="peers">Every peer the round covers (one torrent or a whole session).</param>
    /// <param name="settings">Limits.</param>
    /// <param name="now">The current time.</param>
    /// <param name="lastOptimisticRotation">When the optimistic slots last rotated; null if never.</param>
    /// <param name="result">Cleared and filled.</param>
    public static void Decide(ReadOnlySpan<ChokerPeer> peers, ChokerSettings settings, TimeSpan now,
        TimeSpan? lastOptimisticRotation, ChokeDecision result)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(result);
        result.Clear();
        var buffer = ArrayPool<ChokerPeer>.Shared.Rent(Math.Max(1, peers.Length));
        try
        {
            int count = 0;
            foreach (var p in peers) if (p.Interested) buffer[count++] = p;
            var candidates = buffer.AsSpan(0, count);

            if (settings.UnchokeSlotsLimit < 0)
            {
                // Unlimited: everyone interested, subject only to per-torrent limits.
                candidates.Sort(new UnchokeOrder(settings));
                result.Slots = -1;
                FillRegular(candidates, int.MaxValue, result);
                return;
            }

            int slots = settings.Algorithm == ChokingAlgorithm.RateBased
                ? RateBasedSlots(candidates, settings.UnchokeSlotsLimit)
                : settings.UnchokeSlotsLimit;
            int optimistic = settings.NumOptimisticUnchokeSlots > 0
                ? settings.NumOptimisticUnchokeSlots
                : Math.Max(1, slots / 5);
            optimistic = Math.Min(optimistic, slots);
            result.Slots = slots;
            result.OptimisticSlots = optimistic;

            candidates.Sort(new UnchokeOrder(settings));
            FillRegular(candidates, slots - optimistic, result);
            FillOptimistic(candidates, optimistic, settings, now, lastOptimisticRotation, result);
        }
        finally
        {
            ArrayPool<ChokerPeer>.Shared.Return(buffer);
        }
    }

    private static void FillRegular(Span<ChokerPeer> ranked, int slots, ChokeDecision result)
    {
        foreach (var p in ranked)
        {
            if (result.Unchoke.Count >= slots) return;
            if (p.TorrentMaxUploads > 0)
            {
                result.PerTorrent.TryGetValue(p.Torrent, out int used);
                if (used >= p.TorrentMaxUploads) continue;
                result.PerTorrent[p.Torrent] = used + 1;
            }
            result.Unchoke.Add(p.Id);
        }
    }

    private static void FillOptimistic(Span<ChokerPeer> candidates, int slots, ChokerSettings settings,
        TimeSpan now, TimeSpan? lastRotation, ChokeDecision result)
    {
        if (slots <= 0) return;
        int regular = result.Unchoke.Count;
        bool rotate = lastRotation is null || now - lastRotation.Value >= settings.OptimisticUnchokeInterval;

        // Holders keep their slot until the rotation is due, unless they earned a regular slot.
        if (!rotate)
            foreach (var p in candidates)
                if (p.IsOptimistic && !p.ChokedByUs && result.Optimistic.Count < slots && !IsRegular(result, regular, p.Id))
                    AddOptimistic(result, p.Id);

        if (result.Optimistic.Count >= slots) return;
        // Eligible: choked peers, plus (when rotating) current holders, which then compete on equal terms.
        int n = 0;
        foreach (var p in candidates)
        {
            if (IsRegular(result, regular, p.Id) || result.Optimistic.Contains(p.Id)) continue;
            bool eligible = p.ChokedByUs || (rotate && p.IsOptimistic);
            if (eligible) candidates[n++] = p; // compacting in place: entries before n were read already
        }
        var pool = candidates[..n];
        pool.Sort(new OptimisticOrder());
        foreach (var p in pool)
        {
            if (result.Optimistic.Count >= slots) break;
            AddOptimistic(result, p.Id);
        }
        result.OptimisticRotated = rotate;
    }

    private static bool IsRegular(ChokeDecision result, int regular, int id)
    {
        for (int i = 0; i < regular; i++) if (result.Unchoke[i] == id) return true;
        return false;
    }

    private static void AddOptimistic(ChokeDecision result, int id)
    {
        result.Optimistic.Add(id);
        result.Unchoke.Add(id);
    }

    private static int RateBasedSlots(Span<ChokerPeer> candidates, int limit)
    {
        Span<long> rates = candidates.Length <= 256 ? stackalloc long[candidates.Length] : new long[candidates.Length];
        for (int i = 0; i < candidates.Length; i++) rates[i] = candidates[i].UploadRate;
        rates.Sort();
        int slots = 1;
        long threshold = RateStep;
        for (int i = rates.Length - 1; i >= 0 && rates[i] >= threshold; i--)
        {
            slots++;
            threshold += RateStep;
        }
        return limit >= 0 ? Math.Min(slots, Math.Max(limit, 1)) : slots;
    }
}
