// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace TorrentXT.Engine.Storage;

/// <summary>
/// Turns .NET I/O exceptions back into the errno they came from. The runtime keeps errno in HResult
/// only for plain IOExceptions; for the ones it maps to other types (missing file, access denied) the
/// errno is lost, so it is recovered from the state of the path (a file where a directory is
/// expected is ENOTDIR, a directory opened as a file is EISDIR).
/// </summary>
internal static class OsErrors
{
    public const int ENOENT = 2;
    public const int EIO = 5;
    public const int EACCES = 13;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int ENOSPC = 28;
    public const int ENAMETOOLONG = 36;

    public const string EndOfFile = "End of file";

    /// <summary>True for the exceptions file APIs raise for OS failures (the ones storage converts).</summary>
    public static bool IsIoFailure(Exception e) => e is IOException or UnauthorizedAccessException;

    public static StorageException ToStorage(Exception e, string path, StorageOperation op, int fileIndex = -1)
    {
        if (e is StorageException se) return se;
        int errno = Errno(e, path);
        return new StorageException(path, op, errno, Text(errno), e) { FileIndex = fileIndex };
    }

    public static string Text(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    public static int Errno(Exception e, string path) => e switch
    {
        FileNotFoundException => ENOENT,
        DirectoryNotFoundException => FirstExistingAncestorIsFile(path) ? ENOTDIR : ENOENT,
        PathTooLongException => ENAMETOOLONG,
        UnauthorizedAccessException => Directory.Exists(path) ? EISDIR : EACCES,
        IOException io when io.HResult is > 0 and < 4096 => io.HResult,
        _ => EIO,
    };

    // "Could not find a part of the path" covers both a missing directory and a file standing
    // where a directory should be; only the latter is ENOTDIR.
    private static bool FirstExistingAncestorIsFile(string path)
    {
        try
        {
            for (string? dir = System.IO.Path.GetDirectoryName(path); !string.IsNullOrEmpty(dir); dir = System.IO.Path.GetDirectoryName(dir))
            {
                if (Directory.Exists(dir)) return false;
                if (File.Exists(dir)) return true;
            }
        }
        catch (Exception e) when (IsIoFailure(e)) { }
        return false;
    }
}
