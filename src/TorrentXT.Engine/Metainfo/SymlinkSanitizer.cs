// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// libtorrent's file_storage::sanitize_symlinks: a BEP 47 symlink may only point at a file or
/// directory inside the torrent (directly, relative to the link's own directory, or through other
/// in-torrent symlinks, each followed at most once). Any other target is rewritten to point at the
/// link itself, so "../../etc/passwd" can never be created.
/// </summary>
internal static class SymlinkSanitizer
{
    public static void Sanitize(FileStorageBuilder fs)
    {
        Dictionary<string, int>? fileMap = null;
        HashSet<string>? dirMap = null;
        var dirLinks = new Dictionary<string, string>(StringComparer.Ordinal);
        var toValidate = new List<int>();

        for (int i = 0; i < fs.Count; i++)
        {
            var fe = fs.Files[i];
            if ((fe.Flags & FileFlags.Symlink) == 0 || fe.SymlinkIndex < 0) continue;
            fileMap ??= BuildFileMap(fs);
            string self = fs.InternalFilePath(i);
            string target = fs.Symlinks[fe.SymlinkIndex];

            if (target.StartsWith('/'))
            {
                fs.Symlinks[fe.SymlinkIndex] = self;
                continue;
            }
            if (fileMap.TryGetValue(target, out int hit))
            {
                if ((fs.Files[hit].Flags & FileFlags.Symlink) != 0) dirLinks[self] = target;
                continue;
            }
            dirMap ??= BuildDirMap(fs);
            if (dirMap.Contains(target))
            {
                dirLinks[self] = target;
                continue;
            }
            // For backwards compatibility a target may also be relative to the link's directory.
            if (fe.Kind != PathKind.NoPath)
            {
                string rel = PathSplit.Combine(fe.Branch, target);
                if (fs.Paths.Contains(rel) || dirMap.Contains(rel))
                {
                    fs.Symlinks[fe.SymlinkIndex] = rel;
                    dirLinks[self] = rel;
                    continue;
                }
                if (fileMap.TryGetValue(rel, out hit))
                {
                    fs.Symlinks[fe.SymlinkIndex] = rel;
                    if ((fs.Files[hit].Flags & FileFlags.Symlink) != 0) dirLinks[self] = rel;
                    continue;
                }
            }
            dirLinks[self] = target;
            toValidate.Add(i);
        }

        // Targets that go through other symlinks need a second pass, once all links are known.
        foreach (int i in toValidate)
        {
            var fe = fs.Files[i];
            if (!Resolves(fs.Symlinks[fe.SymlinkIndex], fileMap!, dirMap ?? new HashSet<string>(), dirLinks))
                fs.Symlinks[fe.SymlinkIndex] = fs.InternalFilePath(i);
        }
    }

    private static bool Resolves(string target, Dictionary<string, int> fileMap, HashSet<string> dirMap,
        Dictionary<string, string> dirLinks)
    {
        var traversed = new HashSet<string>(StringComparer.Ordinal);
        string branch = PathSplit.Left(target).First;
        while (branch.Length < target.Length)
        {
            if (!dirMap.Contains(branch))
            {
                if (!dirLinks.TryGetValue(branch, out var linked)) return false;
                if (!traversed.Add(branch)) return false;
                target = PathSplit.Combine(linked, target[(branch.Length + 1)..]);
                branch = "";
            }
            branch = PathSplit.Left(target, branch.Length + 1).First;
        }
        return fileMap.ContainsKey(target) || dirMap.Contains(target);
    }

    private static Dictionary<string, int> BuildFileMap(FileStorageBuilder fs)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < fs.Count; j++) map.TryAdd(fs.InternalFilePath(j), j);
        return map;
    }

    private static HashSet<string> BuildDirMap(FileStorageBuilder fs)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in fs.Paths)
            for (string pv = p; pv.Length > 0; pv = PathSplit.Right(pv).Branch)
                set.Add(pv);
        return set;
    }
}
