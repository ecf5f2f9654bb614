// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Settings;

namespace TorrentXT.Engine.Choking;

/// <summary>The choker's limits, named after the libtorrent settings they mirror.</summary>
public sealed record ChokerSettings
{
    /// <summary><c>unchoke_slots_limit</c>: peers unchoked at once, optimistic slots included; -1 = unlimited.</summary>
    public int UnchokeSlotsLimit { get; init; } = 8;

    /// <summary><c>num_optimistic_unchoke_slots</c>; 0 = automatic: 20% of the slots, at least one.</summary>
    public int NumOptimisticUnchokeSlots { get; init; }

    /// <summary><c>unchoke_interval</c>: how often the caller should run the choker.</summary>
    public TimeSpan UnchokeInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>optimistic_unchoke_interval</c>: how often the optimistic slots rotate.</summary>
    public TimeSpan OptimisticUnchokeInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>choking_algorithm</c>.</summary>
    public ChokingAlgorithm Algorithm { get; init; } = ChokingAlgorithm.FixedSlots;

    /// <summary><c>seed_choking_algorithm</c>.</summary>
    public SeedChokingAlgorithm SeedAlgorithm { get; init; } = SeedChokingAlgorithm.RoundRobin;

    /// <summary><c>seeding_piece_quota</c>: pieces a round-robin slot is worth before it rotates.</summary>
    public int SeedingPieceQuota { get; init; } = 20;

    public static ChokerSettings Default { get; } = new();

    public static ChokerSettings FromSettings(SettingsPack settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ChokerSettings
        {
            UnchokeSlotsLimit = settings.GetInt(SettingIds.UnchokeSlotsLimit),
            NumOptimisticUnchokeSlots = Math.Max(0, settings.GetInt(SettingIds.NumOptimisticUnchokeSlots)),
            UnchokeInterval = TimeSpan.FromSeconds(Math.Max(1, settings.GetInt(SettingIds.UnchokeInterval))),
            OptimisticUnchokeInterval = TimeSpan.FromSeconds(Math.Max(1, settings.GetInt(SettingIds.OptimisticUnchokeInterval))),
            Algorithm = settings.GetInt(SettingIds.ChokingAlgorithm) == (int)ChokingAlgorithm.RateBased
                ? ChokingAlgorithm.RateBased : ChokingAlgorithm.FixedSlots,
            SeedAlgorithm = settings.GetInt(SettingIds.SeedChokingAlgorithm) switch
            {
                1 => SeedChokingAlgorithm.FastestUpload,
                2 => SeedChokingAlgorithm.AntiLeech,
                _ => SeedChokingAlgorithm.RoundRobin,
            },
            SeedingPieceQuota = Math.Max(1, settings.GetInt(SettingIds.SeedingPieceQuota)),
        };
    }
}
