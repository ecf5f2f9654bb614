// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Torrents;

/// <summary>Where a tracker came from (libtorrent's announce_entry source bits).</summary>
[Flags]
public enum TrackerSource
{
    Torrent = 1,
    Client = 2,
    MagnetLink = 4,
    TrackerExchange = 8,
}

/// <summary>One tracker of a torrent as the app sees it.</summary>
public sealed record TrackerEntry(string Url, int Tier, TrackerSource Source, bool Verified);
