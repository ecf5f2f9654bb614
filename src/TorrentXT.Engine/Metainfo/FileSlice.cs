// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>The part of one file covered by a torrent-space byte range.</summary>
public readonly record struct FileSlice(int FileIndex, long FileOffset, int Length);
