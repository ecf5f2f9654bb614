// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Torrents;

/// <summary>libtorrent's <c>torrent_flags_t</c> bits (64-bit).</summary>
[Flags]
public enum TorrentFlags : ulong
{
    None = 0,
    SeedMode = 1UL << 0,
    UploadMode = 1UL << 1,
    ShareMode = 1UL << 2,
    ApplyIpFilter = 1UL << 3,
    Paused = 1UL << 4,
    AutoManaged = 1UL << 5,
    DuplicateIsError = 1UL << 6,
    UpdateSubscribe = 1UL << 7,
    SuperSeeding = 1UL << 8,
    SequentialDownload = 1UL << 9,
    StopWhenReady = 1UL << 10,
    OverrideTrackers = 1UL << 11,
    OverrideWebSeeds = 1UL << 12,
    NeedSaveResume = 1UL << 13,
    DisableDht = 1UL << 19,
    DisableLsd = 1UL << 20,
    DisablePex = 1UL << 21,
    NoVerifyFiles = 1UL << 22,
    DefaultDontDownload = 1UL << 23,

    /// <summary>libtorrent's <c>default_flags</c> (deprecated functions off): 8376.</summary>
    Default = UpdateSubscribe | AutoManaged | Paused | ApplyIpFilter | NeedSaveResume,

    /// <summary>The subset reported in a torrent's status (contract §6.2).</summary>
    StatusVisible = SeedMode | UploadMode | ShareMode | ApplyIpFilter | Paused | AutoManaged | SuperSeeding
        | SequentialDownload | StopWhenReady | DisableDht | DisableLsd | DisablePex,

    /// <summary>Flags that can be changed after the add (the rest are add-time only).</summary>
    Mutable = SeedMode | UploadMode | ShareMode | ApplyIpFilter | Paused | AutoManaged | SuperSeeding
        | SequentialDownload | StopWhenReady | DisableDht | DisableLsd | DisablePex,
}
