// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Torrents;

/// <summary>A consistent snapshot of one torrent, taken under its lock.</summary>
public sealed class TorrentStatus
{
    public string Name { get; init; } = "";
    public TorrentState State { get; init; }
    public float Progress { get; init; }
    public long DownloadRate { get; init; }
    public long UploadRate { get; init; }
    public long TotalDone { get; init; }
    public long TotalWanted { get; init; }
    public int NumPeers { get; init; }
    public int NumSeeds { get; init; }
    public string SavePath { get; init; } = "";
    public required InfoHashes InfoHashes { get; init; }
    public long AllTimeDownload { get; init; }
    public long AllTimeUpload { get; init; }
    public int NumComplete { get; init; } = -1;
    public int NumIncomplete { get; init; } = -1;
    public bool IsFinished { get; init; }
    public bool IsSeeding { get; init; }
    public bool IsPaused { get; init; }
    public string Error { get; init; } = "";
    public long AddedTime { get; init; }
    public long CompletedTime { get; init; }
    public int NumConnections { get; init; }
    public TorrentFlags Flags { get; init; }
    public bool HasMetadata { get; init; }
    public int NumPieces { get; init; }
    public int PieceLength { get; init; }
    public long TotalSize { get; init; }

    /// <summary>Seconds left at the current rate (truncating), or -1 when unknown or nothing is left.</summary>
    public long Eta
    {
        get
        {
            long left = TotalWanted - TotalDone;
            return DownloadRate > 0 && left > 0 ? left / DownloadRate : -1;
        }
    }
}

/// <summary>One file of a torrent as the file list reports it.</summary>
public readonly record struct FileStatus(string Path, long Size, long BytesDone, int Priority, bool IsPad);
