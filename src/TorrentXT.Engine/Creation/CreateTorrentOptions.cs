// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Creation;

/// <summary>
/// What to make a torrent of.
/// </summary>
/// <param name="ContentPath">a file (single-file torrent) or a directory (multi-file torrent); trailing separators are ignored</param>
/// <param name="PieceSize">bytes per piece, 0 for automatic (see <see cref="PieceSizePolicy"/>)</param>
/// <param name="Flags">libtorrent create_torrent flags, see <see cref="CreateTorrentFlags"/></param>
/// <param name="Trackers">announce URLs separated by '\n', each its own tier; null or empty for none</param>
public sealed record CreateTorrentOptions(string ContentPath, int PieceSize, uint Flags, string? Trackers);
