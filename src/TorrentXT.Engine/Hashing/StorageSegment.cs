// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Hashing;

/// <summary>
/// One file of a torrent's byte stream as the hashers see it: where its bytes live on disk and where
/// they sit in the torrent. A null <see cref="Path"/> marks a pad file, whose bytes are zeros and never on disk.
/// </summary>
internal readonly record struct StorageSegment(string? Path, long Offset, long Size)
{
    public long End => Offset + Size;
    public bool IsPad => Path is null;
}
