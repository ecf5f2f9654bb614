// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>A tracker URL from a .torrent file and the announce-list tier it sits in.</summary>
public sealed record AnnounceEntry(string Url, int Tier);
