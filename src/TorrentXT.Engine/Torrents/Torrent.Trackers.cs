// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Torrents;

/// <summary>The stored tracker list (ordered by tier, then insertion) and web seeds (sorted).</summary>
public sealed partial class Torrent
{
    public IReadOnlyList<TrackerEntry> Trackers() { lock (Sync) return _trackers.ToArray(); }

    /// <summary>Adds a tracker after the existing ones of tiers &lt;= <paramref name="tier"/>; a known URL is left unchanged.</summary>
    public void AddTracker(string url, int tier, TrackerSource source = TrackerSource.Client)
    {
        lock (Sync) AddTrackerLocked(url, Math.Clamp(tier, 0, 255), source);
    }

    private void AddTrackerLocked(string url, int tier, TrackerSource source)
    {
        foreach (var t in _trackers)
            if (t.Url == url) return;
        int at = _trackers.Count;
        for (int i = 0; i < _trackers.Count; i++)
            if (_trackers[i].Tier > tier) { at = i; break; }
        _trackers.Insert(at, new TrackerEntry(url, tier, source, Verified: false));
    }

    public IReadOnlyList<string> UrlSeeds() { lock (Sync) return _urlSeeds.ToArray(); }
    public void AddUrlSeed(string url) { lock (Sync) _urlSeeds.Add(url); }
    public void RemoveUrlSeed(string url) { lock (Sync) _urlSeeds.Remove(url); }
}
