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

    private int _numComplete = -1, _numIncomplete = -1;

    /// <summary>
    /// A tracker answered an announce or scrape: it becomes verified, and the swarm counts it gave
    /// (-1 = not given) become the status fields numComplete / numIncomplete.
    /// </summary>
    internal void OnTrackerAnswered(string url, int complete, int incomplete)
    {
        lock (Sync)
        {
            int at = _trackers.FindIndex(t => t.Url == url);
            if (at >= 0 && !_trackers[at].Verified) _trackers[at] = _trackers[at] with { Verified = true };
            if (complete >= 0) _numComplete = complete;
            if (incomplete >= 0) _numIncomplete = incomplete;
        }
    }

    /// <summary>Re-announces to every tracker now, within each tracker's minimum interval (asynchronous).</summary>
    /// <summary>Announces to every tracker (within each one's min interval) and to the DHT (contract D5).</summary>
    public void ForceReannounce()
    {
        if (Removed) return;
        Session.Trackers.ForceReannounce(this);
        Session.DhtAnnounceSoon(this);
    }

    /// <summary>Scrapes every tracker (asynchronous): scrapeReply or trackerError alerts follow.</summary>
    public void ScrapeTrackers() { if (!Removed) Session.Trackers.Scrape(this); }

    public IReadOnlyList<string> UrlSeeds() { lock (Sync) return _urlSeeds.ToArray(); }
    public void AddUrlSeed(string url) { lock (Sync) _urlSeeds.Add(url); }
    public void RemoveUrlSeed(string url) { lock (Sync) _urlSeeds.Remove(url); }
}
