// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Torrents;

/// <summary>What to add: a parsed .torrent or a magnet, where to store it, and the add-time flags.</summary>
public sealed class AddTorrentParams
{
    public TorrentInfo? Info { get; init; }
    public MagnetUri? Magnet { get; init; }
    public required string SavePath { get; init; }
    public TorrentFlags Flags { get; init; } = TorrentFlags.Default;

    /// <summary>Resume data to continue from (piece state, priorities, trackers, limits, counters).</summary>
    public Resume.ResumeData? Resume { get; init; }

    /// <summary>The info-hashes when there is neither metadata nor a magnet (a resume blob without info).</summary>
    public InfoHashes? Hashes { get; init; }

    public static AddTorrentParams FromTorrent(TorrentInfo info, string savePath, TorrentFlags flags) =>
        new() { Info = info, SavePath = savePath, Flags = flags };

    public static AddTorrentParams FromMagnet(MagnetUri magnet, string savePath, TorrentFlags flags) =>
        new() { Magnet = magnet, SavePath = savePath, Flags = flags };

    public InfoHashes InfoHashes => Info?.InfoHashes ?? Magnet?.InfoHashes ?? Hashes!;
}
