// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// One entry of a torrent's file storage, pad files included, exactly as libtorrent lists it.
/// <paramref name="Path"/> is '/'-separated and relative (libtorrent's <c>file_path(i)</c>): it starts
/// with the torrent name for multi-file torrents and is just the file name for a single file.
/// <paramref name="Attributes"/> holds BEP 47 letters in the order p, h, x, l.
/// </summary>
public sealed record TorrentFile(int Index, string Path, long Size, long Offset, bool IsPad, string Attributes,
    byte[]? PiecesRoot, long ModificationTime)
{
    /// <summary>For a BEP 47 symlink: the validated target, relative to the save path; otherwise null.</summary>
    public string? SymlinkTarget { get; init; }

    public bool IsSymlink => SymlinkTarget is not null;

    // Value equality including the root's bytes (a record would compare the array reference).
    public bool Equals(TorrentFile? other) =>
        other is not null && Index == other.Index && Path == other.Path && Size == other.Size && Offset == other.Offset
        && IsPad == other.IsPad && Attributes == other.Attributes && ModificationTime == other.ModificationTime
        && SymlinkTarget == other.SymlinkTarget && PiecesRoot.AsSpan().SequenceEqual(other.PiecesRoot)
        && (PiecesRoot is null) == (other.PiecesRoot is null);

    public override int GetHashCode() => HashCode.Combine(Index, Path, Size, Offset);
    public bool IsExecutable => Attributes.Contains('x');
    public bool IsHidden => Attributes.Contains('h');
}
