// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// A .torrent file, info dictionary or magnet URI was rejected. The message is libtorrent 2.0.8's
/// wording for the same failure (bdecode errors pass through with their own wording), because
/// applications written against the original show and match these texts.
/// </summary>
public sealed class MetainfoException : Exception
{
    public MetainfoException(string message) : base(message) { }
    public MetainfoException(string message, Exception inner) : base(message, inner) { }
}
