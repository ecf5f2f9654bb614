// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace TorrentXT.Engine.Storage;

/// <summary>
/// rename(2) itself. File.Move silently falls back to copy-and-delete across filesystems; a storage
/// move needs to know, so it can copy, verify, and only then delete.
/// </summary>
internal static partial class PosixRename
{
    public const int EXDEV = 18;

    /// <summary>0 on success, else the errno (EXDEV: the two paths are on different filesystems).</summary>
    public static int Rename(string from, string to)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            // Windows: MoveFileEx without copy permission fails across volumes, like rename(2).
            try { File.Move(from, to, overwrite: true); return 0; }
            catch (IOException) when (Path.GetPathRoot(Path.GetFullPath(from)) != Path.GetPathRoot(Path.GetFullPath(to))) { return EXDEV; }
        }
        return rename(from, to) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rename(string oldpath, string newpath);
}
