// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Storage;

/// <summary>What the storage was doing when a <see cref="StorageException"/> was raised.</summary>
public enum StorageOperation
{
    /// <summary>Joining a torrent path under the save path (the path would leave it).</summary>
    ResolvePath,
    /// <summary>Creating the directories a file needs.</summary>
    CreateDirectory,
    /// <summary>Opening (or creating) a file.</summary>
    Open,
    Read,
    Write,
    /// <summary>Making written data durable (fsync).</summary>
    Flush,
    /// <summary>Removing the part file once it holds no piece any more.</summary>
    Delete,
    /// <summary>Moving the torrent's files to another save path.</summary>
    Move,
}
