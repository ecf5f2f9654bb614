// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Resume;

/// <summary>
/// The content of a resume blob in libtorrent's format ("libtorrent resume file", version 1): what
/// a torrent needs to continue where it stopped. Read by <see cref="ResumeDataReader"/>, written by
/// <see cref="ResumeDataWriter"/>. Absent keys keep the defaults below (libtorrent's).
/// </summary>
public sealed class ResumeData
{
    /// <summary>libtorrent's value for "unlimited" connections/uploads and "unknown" scrape counts.</summary>
    public const int Unlimited = 16777215;

    public byte[]? InfoHashV1 { get; set; }
    public byte[]? InfoHashV2 { get; set; }
    public string Name { get; set; } = "";
    public string SavePath { get; set; } = "";

    /// <summary>The bencoded info dictionary, when the blob carries one.</summary>
    public ReadOnlyMemory<byte>? InfoDict { get; set; }

    /// <summary>'pieces': one byte per piece, bit 0 = have, bit 1 = verified (seed mode). Null when absent or empty.</summary>
    public byte[]? Pieces { get; set; }

    /// <summary>Ours ("btx-all-pieces"): every piece is present, written instead of 'pieces' when that would not fit.</summary>
    public bool AllPieces { get; set; }

    /// <summary>'unfinished': pieces with some blocks on disk, block bitmask MSB first.</summary>
    public List<(int Piece, byte[] Bitmask)> Unfinished { get; } = new();

    public byte[]? FilePriorities { get; set; }
    public byte[]? PiecePriorities { get; set; }

    /// <summary>'trackers': tiers in order, each a list of URLs.</summary>
    public List<List<string>> Trackers { get; } = new();
    public List<string> UrlSeeds { get; } = new();
    public List<string> HttpSeeds { get; } = new();

    /// <summary>The torrent flags the blob sets (only those in <see cref="FlagsPresent"/> are meaningful).</summary>
    public TorrentFlags Flags { get; set; }
    public TorrentFlags FlagsPresent { get; set; }

    /// <summary>Rate limits in bytes/s; -1 (or 0) is none.</summary>
    public int DownloadLimit { get; set; } = -1;
    public int UploadLimit { get; set; } = -1;
    public int MaxConnections { get; set; } = Unlimited;
    public int MaxUploads { get; set; } = Unlimited;

    public long AddedTime { get; set; }
    public long CompletedTime { get; set; }
    public long LastSeenComplete { get; set; }
    public long LastDownload { get; set; }
    public long LastUpload { get; set; }
    public long ActiveTime { get; set; }
    public long FinishedTime { get; set; }
    public long SeedingTime { get; set; }
    public long TotalDownloaded { get; set; }
    public long TotalUploaded { get; set; }
    public int NumComplete { get; set; } = Unlimited;
    public int NumIncomplete { get; set; } = Unlimited;
    public int NumDownloaded { get; set; } = Unlimited;

    /// <summary>Ours ("queue_position"): position in the download queue, -1 when not queued. libtorrent ignores it.</summary>
    public int QueuePosition { get; set; } = -1;

    public List<IPEndPoint> Peers { get; } = new();

    /// <summary>'mapped_files': renamed paths ('' for unrenamed files), kept so a blob round-trips.</summary>
    public List<string> MappedFiles { get; } = new();

    /// <summary>'trees': one per file (v2/hybrid), libtorrent's sparse merkle trees.</summary>
    public List<ResumeTree> Trees { get; } = new();

    /// <summary>True when the blob says which pieces are present (so a fast resume can be tried).</summary>
    public bool HasPieceState => AllPieces || Pieces is { Length: > 0 };

    /// <summary>Whether piece <paramref name="piece"/> is marked present.</summary>
    public bool HasPiece(int piece) => AllPieces || (Pieces is { } p && (uint)piece < (uint)p.Length && (p[piece] & 1) != 0);
}

/// <summary>One file's entry of libtorrent's 'trees': known node hashes, which nodes they are, verified leaves.</summary>
public sealed record ResumeTree(byte[] Hashes, string? Mask, string? Verified);
