// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Storage;

namespace TorrentXT.Engine.Hashing;

/// <summary>
/// Turns I/O exceptions into the short system texts libtorrent reports (strerror style, such as
/// "No such file or directory"), because callers see them after "hashing failed: ". The errno
/// recovery itself is shared with storage (<see cref="OsErrors"/>).
/// </summary>
internal static class IoErrorText
{
    /// <summary>The text for a file that ended before the bytes the torrent expects.</summary>
    public const string EndOfFile = OsErrors.EndOfFile;

    public static string For(Exception e) =>
        OsErrors.IsIoFailure(e) ? OsErrors.Text(OsErrors.Errno(e, "")) : e.Message;
}
