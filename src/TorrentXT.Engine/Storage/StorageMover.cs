// SPDX-License-Identifier: MIT
using System.Security.Cryptography;

namespace TorrentXT.Engine.Storage;

/// <summary>
/// Moves a torrent's files from one save path to another, all or nothing. Each file is renamed
/// when both paths are on one filesystem; across filesystems it is copied, synced, read back and
/// compared by SHA-256, and the originals are deleted only after every file arrived. Any failure
/// (or cancellation) undoes what was done: renamed files go back, copies and the directories made
/// for them are removed, so the originals stay intact at the old path. Files that do not exist
/// (not downloaded yet) are skipped. Throws <see cref="StorageException"/>.
/// </summary>
public static class StorageMover
{
    private const int CopyBuffer = 1 << 20;

    public static void Move(IEnumerable<string> relativePaths, string fromRoot, string toRoot, CancellationToken ct = default)
    {
        fromRoot = Path.GetFullPath(fromRoot);
        toRoot = Path.GetFullPath(toRoot);
        var createdDirs = new List<string>();
        var done = new List<(string From, string To, bool Copied)>();
        try
        {
            CreateDirectories(toRoot, createdDirs);
            foreach (string rel in relativePaths)
            {
                ct.ThrowIfCancellationRequested();
                string from = StoragePaths.Resolve(fromRoot, rel);
                if (!File.Exists(from)) continue;
                string to = StoragePaths.Resolve(toRoot, rel);
                CreateDirectories(Path.GetDirectoryName(to)!, createdDirs);
                int errno = PosixRename.Rename(from, to);
                if (errno == 0) { done.Add((from, to, false)); continue; }
                if (errno != PosixRename.EXDEV) throw new StorageException(to, StorageOperation.Move, errno, OsErrors.Text(errno));
                done.Add((from, to, true)); // before copying, so a half-written copy is removed too
                CopyVerified(from, to, ct);
            }
        }
        catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            Undo(done, createdDirs);
            if (e is OperationCanceledException) throw new StorageException(toRoot, StorageOperation.Move, 0, "operation aborted", e);
            throw OsErrors.ToStorage(e, toRoot, StorageOperation.Move);
        }
        // Every file is at its new place: only now do the originals go.
        foreach (var (from, _, copied) in done)
            if (copied) TryDelete(from);
        RemoveEmptyDirectories(done.Select(d => d.From), fromRoot);
    }

    private static void CreateDirectories(string dir, List<string> created)
    {
        var missing = new Stack<string>();
        for (string? d = dir; !string.IsNullOrEmpty(d) && !Directory.Exists(d); d = Path.GetDirectoryName(d))
        {
            // A file where a directory must go: mkdir would say EEXIST, the truth is ENOTDIR.
            if (File.Exists(d)) throw new StorageException(dir, StorageOperation.CreateDirectory, OsErrors.ENOTDIR, OsErrors.Text(OsErrors.ENOTDIR));
            missing.Push(d);
        }
        while (missing.Count > 0)
        {
            string d = missing.Pop();
            try { Directory.CreateDirectory(d); }
            catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, d, StorageOperation.CreateDirectory); }
            created.Add(d);
        }
    }

    private static void CopyVerified(string from, string to, CancellationToken ct)
    {
        byte[] expected;
        using (var src = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan))
        using (var dst = new FileStream(to, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[CopyBuffer];
            int n;
            while ((n = src.Read(buffer)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, n);
                dst.Write(buffer, 0, n);
            }
            dst.Flush(flushToDisk: true);
            expected = hash.GetHashAndReset();
        }
        byte[] actual;
        using (var check = new FileStream(to, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            actual = SHA256.HashData(check);
        if (!actual.AsSpan().SequenceEqual(expected))
            throw new StorageException(to, StorageOperation.Move, OsErrors.EIO, "the copy does not match the original");
    }

    private static void Undo(List<(string From, string To, bool Copied)> done, List<string> createdDirs)
    {
        for (int i = done.Count - 1; i >= 0; i--)
        {
            var (from, to, copied) = done[i];
            if (copied) TryDelete(to);
            else PosixRename.Rename(to, from);
        }
        for (int i = createdDirs.Count - 1; i >= 0; i--)
        {
            try { Directory.Delete(createdDirs[i]); }
            catch (Exception e) when (OsErrors.IsIoFailure(e)) { }
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (OsErrors.IsIoFailure(e)) { }
    }

    /// <summary>Removes the directories under <paramref name="root"/> that held the moved files, deepest first, when empty.</summary>
    internal static void RemoveEmptyDirectories(IEnumerable<string> files, string root)
    {
        string prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        var dirs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in files)
            for (string? d = Path.GetDirectoryName(f); d is not null && d.StartsWith(prefix, StringComparison.Ordinal); d = Path.GetDirectoryName(d))
                dirs.Add(d);
        foreach (var d in dirs.OrderByDescending(x => x.Length))
        {
            try { if (Directory.Exists(d) && !Directory.EnumerateFileSystemEntries(d).Any()) Directory.Delete(d); }
            catch (Exception e) when (OsErrors.IsIoFailure(e)) { }
        }
    }
}
