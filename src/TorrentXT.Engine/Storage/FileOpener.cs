// SPDX-License-Identifier: MIT
using Microsoft.Win32.SafeHandles;

namespace TorrentXT.Engine.Storage;

/// <summary>
/// Opens a torrent's files: read-only for seeding, read-write (created on demand, with the
/// directories it needs) for downloading. Never truncates: an existing file keeps every byte.
/// </summary>
internal static class FileOpener
{
    // Other processes (and our own checker) may read the files while we write them.
    private const FileShare Share = FileShare.ReadWrite | FileShare.Delete;

    public static SafeFileHandle Open(string path, bool write, int fileIndex)
    {
        if (!write)
        {
            try { return File.OpenHandle(path, FileMode.Open, FileAccess.Read, Share); }
            catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, path, StorageOperation.Open, fileIndex); }
        }
        try { return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, Share); }
        catch (DirectoryNotFoundException)
        {
            // First write into a directory that does not exist yet: create it, then try once more.
            CreateParent(path, fileIndex);
        }
        catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, path, StorageOperation.Open, fileIndex); }

        try { return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, Share); }
        catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, path, StorageOperation.Open, fileIndex); }
    }

    private static void CreateParent(string path, int fileIndex)
    {
        string? dir = Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(dir)) return;
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (OsErrors.IsIoFailure(e))
        {
            // CreateDirectory reports a file in the way as "already exists"; errno-wise that is ENOTDIR.
            var se = OsErrors.ToStorage(e, dir, StorageOperation.CreateDirectory, fileIndex);
            if (se.ErrorCode == 17 /* EEXIST */ && !Directory.Exists(dir))
                se = new StorageException(dir, StorageOperation.CreateDirectory, OsErrors.ENOTDIR, OsErrors.Text(OsErrors.ENOTDIR), e) { FileIndex = fileIndex };
            throw se;
        }
    }
}
