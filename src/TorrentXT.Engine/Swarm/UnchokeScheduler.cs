// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Choking;
using TorrentXT.Engine.Settings;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// Session-wide unchoking: <c>unchoke_slots_limit</c> counts every torrent's unchoked peers, so one
/// round of the <see cref="Choker"/> covers all of them. Rounds run every <c>unchoke_interval</c>
/// (libtorrent's 15 s by default) on the swarm thread, or on the next tick when a slot was freed.
/// The counter of unchoked peers lets a newly interested peer take a free slot between rounds.
/// </summary>
internal sealed class UnchokeScheduler
{
    private readonly SettingsPack _settings;
    private readonly Lock _slots = new();
    private readonly ChokeDecision _decision = new();
    private readonly List<PeerConnection> _peers = new();
    private readonly List<TorrentSwarm> _owners = new();
    private readonly List<ChokerPeer> _snapshots = new();
    private readonly HashSet<int> _unchoke = new(), _optimistic = new();
    private TimeSpan? _lastRotation;
    private long _lastRound = long.MinValue / 2;
    private int _unchoked, _reserved, _roundRequested;

    public UnchokeScheduler(SettingsPack settings) => _settings = settings;

    /// <summary>Peers unchoked now, over all torrents.</summary>
    public int Unchoked => Volatile.Read(ref _unchoked);

    public void OnUnchoked() => Interlocked.Increment(ref _unchoked);
    public void OnChoked() => Interlocked.Decrement(ref _unchoked);

    /// <summary>Reserves a free slot for an immediate unchoke; false when all are taken.</summary>
    public bool TryReserveSlot()
    {
        int limit = _settings.GetInt(SettingIds.UnchokeSlotsLimit);
        if (limit < 0) { lock (_slots) _reserved++; return true; }
        lock (_slots)
        {
            if (Unchoked + _reserved >= limit) return false;
            _reserved++;
            return true;
        }
    }

    public void ReleaseReservation()
    {
        lock (_slots) _reserved--;
    }

    /// <summary>Asks for a round on the next tick (a slot was freed).</summary>
    public void RequestRound() => Volatile.Write(ref _roundRequested, 1);

    /// <summary>Called every tick; runs a round when it is due.</summary>
    public void MaybeRun(IReadOnlyList<TorrentSwarm> swarms, long now)
    {
        var settings = ChokerSettings.FromSettings(_settings);
        bool due = now - _lastRound >= (long)settings.UnchokeInterval.TotalMilliseconds;
        if (!due && Interlocked.Exchange(ref _roundRequested, 0) == 0) return;
        _lastRound = now;
        Volatile.Write(ref _roundRequested, 0);
        Run(swarms, settings, now);
    }

    private void Run(IReadOnlyList<TorrentSwarm> swarms, ChokerSettings settings, long now)
    {
        _peers.Clear();
        _owners.Clear();
        _snapshots.Clear();
        for (int i = 0; i < swarms.Count; i++) swarms[i].CollectForChoker(i, _peers, _owners, _snapshots);
        if (_peers.Count == 0) return;
        var nowSpan = TimeSpan.FromMilliseconds(now);
        Choker.Decide(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_snapshots), settings, nowSpan, _lastRotation, _decision);
        if (_decision.OptimisticRotated) _lastRotation = nowSpan;
        _unchoke.Clear();
        _optimistic.Clear();
        foreach (int id in _decision.Unchoke) _unchoke.Add(id);
        foreach (int id in _decision.Optimistic) _optimistic.Add(id);
        // Chokes first, so the session-wide count never overshoots while the round is applied.
        for (int pass = 0; pass < 2; pass++)
            for (int id = 0; id < _peers.Count; id++)
            {
                bool unchoke = _unchoke.Contains(id);
                if (unchoke != (pass == 1)) continue;
                bool optimistic = _optimistic.Contains(id);
                _owners[id].ApplyChoke(_peers[id], unchoke, optimistic, optimistic && !_snapshots[id].IsOptimistic, now);
            }
        _peers.Clear();
        _owners.Clear();
    }
}
