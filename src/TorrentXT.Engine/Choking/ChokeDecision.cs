// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Choking;

/// <summary>The output of one unchoke round; reusable across rounds so a round allocates nothing.
/// Every peer not in <see cref="Unchoke"/> should be choked.</summary>
public sealed class ChokeDecision
{
    /// <summary>Peers to have unchoked after this round (regular and optimistic), by id.</summary>
    public List<int> Unchoke { get; } = new();

    /// <summary>The subset of <see cref="Unchoke"/> holding optimistic slots.</summary>
    public List<int> Optimistic { get; } = new();

    /// <summary>The optimistic slots were rotated this round: remember "now" as the rotation time
    /// for the next round. Whether rotated or not, stamp "now" as the
    /// <see cref="ChokerPeer.LastOptimisticUnchoke"/> of peers newly in <see cref="Optimistic"/>.</summary>
    public bool OptimisticRotated { get; internal set; }

    /// <summary>Slots in use this round: regular plus optimistic (-1 when unlimited).</summary>
    public int Slots { get; internal set; }

    public int OptimisticSlots { get; internal set; }

    public bool IsUnchoked(int id) => Unchoke.Contains(id);

    internal Dictionary<int, int> PerTorrent { get; } = new();

    internal void Clear()
    {
        Unchoke.Clear();
        Optimistic.Clear();
        PerTorrent.Clear();
        OptimisticRotated = false;
        Slots = OptimisticSlots = 0;
    }
}
