// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Trackers;

/// <summary>
/// The multi-tracker (BEP 12) schedule of one torrent. Trackers are kept by tier; each tier's order
/// is shuffled once, and a tracker that answers moves to the front of its tier. Without
/// <c>announce_to_all_trackers</c> a tier uses its first tracker that is busy, working or untried,
/// falling through to the next one while the earlier ones are failing; without
/// <c>announce_to_all_tiers</c> the tiers after the first one that has such a tracker are skipped.
/// The torrent's public tracker list keeps its own order; this order is internal.
/// </summary>
internal sealed class TorrentAnnouncer(Torrent torrent)
{
    private readonly List<AnnounceTracker> _trackers = new();
    private int _knownCount;

    public Torrent Torrent { get; } = torrent;
    public object Sync { get; } = new();
    /// <summary>True while the torrent is started (announcing); a change to false sends 'stopped'.</summary>
    public bool Running { get; set; }
    /// <summary>The torrent's <see cref="Torrent.DownloadsCompleted"/> when last looked at; a rise sends 'completed'.</summary>
    public int CompletionsSeen { get; set; }

    public IReadOnlyList<AnnounceTracker> Trackers => _trackers;

    /// <summary>Takes in trackers added since the last call (the list only grows); call under <see cref="Sync"/>.</summary>
    public void SyncTrackers(IReadOnlyList<TrackerEntry> entries)
    {
        if (entries.Count == _knownCount) return;
        bool first = _knownCount == 0;
        foreach (var e in entries)
        {
            if (_trackers.Exists(t => t.Url == e.Url)) continue;
            int at = _trackers.FindIndex(t => t.Tier > e.Tier);
            var tracker = new AnnounceTracker(e.Url, e.Tier);
            if (at < 0) _trackers.Add(tracker); else _trackers.Insert(at, tracker);
        }
        _knownCount = entries.Count;
        if (first) ShuffleTiers();
    }

    private void ShuffleTiers()
    {
        for (int start = 0; start < _trackers.Count;)
        {
            int end = start;
            while (end < _trackers.Count && _trackers[end].Tier == _trackers[start].Tier) end++;
            for (int i = end - 1; i > start; i--)
            {
                int j = start + RandomNumberGenerator.GetInt32(i - start + 1);
                (_trackers[i], _trackers[j]) = (_trackers[j], _trackers[i]);
            }
            start = end;
        }
    }

    /// <summary>BEP 12 promotion: the tracker that answered becomes the first of its tier.</summary>
    public void Promote(AnnounceTracker tracker)
    {
        int at = _trackers.IndexOf(tracker);
        int first = _trackers.FindIndex(t => t.Tier == tracker.Tier);
        if (at <= first) return;
        _trackers.RemoveAt(at);
        _trackers.Insert(first, tracker);
    }

    /// <summary>The trackers whose announce is due now under the BEP 12 rules; call under <see cref="Sync"/>.</summary>
    public List<AnnounceTracker> Due(long nowMs, bool allTiers, bool allTrackers)
    {
        var due = new List<AnnounceTracker>();
        int i = 0;
        while (i < _trackers.Count)
        {
            int tier = _trackers[i].Tier;
            bool tierFound = false;
            for (; i < _trackers.Count && _trackers[i].Tier == tier; i++)
            {
                var t = _trackers[i];
                if (tierFound && !allTrackers) continue;
                if (t.Updating) { tierFound = true; continue; }
                if (nowMs >= t.NextMs) due.Add(t);
                // A working, untried or just-launched tracker is the tier's choice; a failing one that is
                // not due lets the next tracker of the tier be tried meanwhile.
                if (t.Fails == 0 || nowMs >= t.NextMs) tierFound = true;
            }
            if (tierFound && !allTiers) break;
        }
        return due;
    }

    /// <summary>btx_force_reannounce: every tracker is due now, or when its minimum interval has passed.</summary>
    public void ForceAll(long nowMs)
    {
        foreach (var t in _trackers)
            t.NextMs = Math.Max(nowMs, t.LastAnnounceMs + t.MinIntervalMs);
    }

    /// <summary>Marks every started tracker as owing 'completed', due now.</summary>
    public void MarkCompleted(long nowMs)
    {
        foreach (var t in _trackers)
        {
            t.CompletedPending = true;
            if (t.StartSent) t.NextMs = Math.Min(t.NextMs, nowMs);
        }
    }
}
