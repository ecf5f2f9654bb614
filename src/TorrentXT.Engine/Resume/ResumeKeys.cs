// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Resume;

/// <summary>The keys of libtorrent's resume format shared by the reader and the writer.</summary>
internal static class ResumeKeys
{
    public const string FileFormat = "libtorrent resume file";
    public const int FileVersion = 1;

    /// <summary>The boolean keys libtorrent writes for torrent flags, in the order it writes them.</summary>
    public static readonly (string Key, TorrentFlags Flag)[] FlagKeys =
    {
        ("seed_mode", TorrentFlags.SeedMode),
        ("upload_mode", TorrentFlags.UploadMode),
        ("share_mode", TorrentFlags.ShareMode),
        ("apply_ip_filter", TorrentFlags.ApplyIpFilter),
        ("paused", TorrentFlags.Paused),
        ("auto_managed", TorrentFlags.AutoManaged),
        ("super_seeding", TorrentFlags.SuperSeeding),
        ("sequential_download", TorrentFlags.SequentialDownload),
        ("stop_when_ready", TorrentFlags.StopWhenReady),
        ("disable_dht", TorrentFlags.DisableDht),
        ("disable_lsd", TorrentFlags.DisableLsd),
        ("disable_pex", TorrentFlags.DisablePex),
    };
}
