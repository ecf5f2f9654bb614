// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Torrents;

/// <summary>
/// Deletes exactly the files a torrent owns under its save path, then the directories its paths
/// created, deepest first, only when they are empty. Never touches anything else.
/// </summary>
internal static class TorrentFileDeleter
{
    public static void Delete(Torrent torrent)
    {
        var info = torrent.Info;
        if (info is null) return;
        string root = Path.GetFullPath(torrent.SavePath);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in info.Files.Files)
        {
            if (file.IsPad) continue;
            string path = Path.GetFullPath(torrent.FilePathOnDisk(file.Path));
            if (!IsInside(path, root)) continue;
            TryDelete(path);
            for (string? dir = Path.GetDirectoryName(path); dir is not null && IsInside(dir, root) && dir != root; dir = Path.GetDirectoryName(dir))
                directories.Add(dir);
        }
        // The part file (priority-0 edges of pieces) is the torrent's too.
        TryDelete(Path.Combine(root, Storage.StoragePaths.PartFileName(info.InfoHashes)));
        foreach (var dir in directories.OrderByDescending(d => d.Length))
        {
            try
            {
                if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static bool IsInside(string path, string root) =>
        path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
