// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Torrents;

/// <summary>libtorrent's <c>torrent_status::state_t</c> values, which apps depend on.</summary>
public enum TorrentState
{
    QueuedForChecking = 0,
    CheckingFiles = 1,
    DownloadingMetadata = 2,
    Downloading = 3,
    Finished = 4,
    Seeding = 5,
    Allocating = 6,
    CheckingResumeData = 7,
}
