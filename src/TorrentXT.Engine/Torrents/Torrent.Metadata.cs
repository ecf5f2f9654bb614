// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Torrents;

/// <summary>A magnet's metadata arriving later (from peers, BEP 9).</summary>
public sealed partial class Torrent
{
    /// <summary>
    /// Installs the info dictionary of a torrent added without one. It must hash to every
    /// info-hash the torrent already has; the torrent then gains the hashes it lacked (a hybrid
    /// magnet with only btih learns its v2 hash), posts metadataReceived and checks its files.
    /// Returns false when the torrent already has metadata or the hashes do not match.
    /// </summary>
    public bool SetMetadata(TorrentInfo info)
    {
        lock (Sync)
        {
            if (Info is not null || Removed) return false;
            var have = InfoHashes;
            var got = info.InfoHashes;
            if (have.V1 is { } v1 && (got.V1 is null || !v1.AsSpan().SequenceEqual(got.V1))) return false;
            if (have.V2 is { } v2 && (got.V2 is null || !v2.AsSpan().SequenceEqual(got.V2))) return false;
            if (have.V1 is null && have.V2 is null) return false;
            Info = info;
            InfoHashes = got;
            foreach (var t in info.Trackers) AddTrackerLocked(t.Url, t.Tier, TrackerSource.Torrent);
            foreach (var u in info.UrlSeeds) _urlSeeds.Add(u);
            InitialiseMetadata(_defaultDontDownload);
            Post(new MetadataReceivedAlert(this));
            SetStateLocked(TorrentState.CheckingResumeData);
        }
        Session.EnqueueCheck(this);
        return true;
    }
}
