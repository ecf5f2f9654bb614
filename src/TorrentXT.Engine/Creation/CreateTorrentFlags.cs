// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Creation;

/// <summary>The bits of <see cref="CreateTorrentOptions.Flags"/>: libtorrent 2.0's create_torrent flags.</summary>
[Flags]
public enum CreateTorrentFlags : uint
{
    None = 0,
    /// <summary>Deprecated in libtorrent; no effect.</summary>
    OptimizeAlignment = 1,
    /// <summary>Deprecated (BEP 30 was withdrawn); no effect.</summary>
    Merkle = 2,
    /// <summary>Record each file's modification time ("mtime").</summary>
    ModificationTime = 4,
    /// <summary>No visible effect: the scan follows links and stores them as regular files.</summary>
    Symlinks = 8,
    /// <summary>Deprecated; no effect.</summary>
    MutableTorrentSupport = 16,
    /// <summary>v2 metadata only (no v1 "pieces").</summary>
    V2Only = 32,
    /// <summary>v1 metadata only; the piece size may be any multiple of 16 KiB or power of two.</summary>
    V1Only = 64,
    /// <summary>With <see cref="V1Only"/>: use the BEP 52 file order and pad files anyway.</summary>
    CanonicalFiles = 128,
    /// <summary>Only affects the file scan, which never receives it; no effect.</summary>
    NoAttributes = 256,
    /// <summary>Canonical layout without a pad after the last file (libtorrent 2.0.7 and earlier).</summary>
    CanonicalFilesNoTailPadding = 512,
    /// <summary>libtorrent 2.0.11: with <see cref="V1Only"/>, any positive piece size.</summary>
    AllowOddPieceSize = 0x8000_0000,
}
