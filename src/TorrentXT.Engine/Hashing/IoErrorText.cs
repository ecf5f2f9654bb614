// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace TorrentXT.Engine.Hashing;

/// <summary>
/// Turns I/O exceptions into the short system texts libtorrent reports (strerror style, such as
/// "No such file or directory"), because callers see them after "hashing failed: ".
/// </summary>
internal static class IoErrorText
{
    private const int ENOENT = 2;
    private const int EACCES = 13;

    /// <summary>The text for a file that ended before the bytes the torrent expects.</summary>
    public const string EndOfFile = "End of file";

    public static string For(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Marshal.GetPInvokeErrorMessage(ENOENT),
        UnauthorizedAccessException => Marshal.GetPInvokeErrorMessage(EACCES),
        // On Unix the runtime stores errno in HResult for I/O failures it raises itself.
        IOException io when io.HResult is > 0 and < 4096 => Marshal.GetPInvokeErrorMessage(io.HResult),
        _ => e.Message,
    };
}
