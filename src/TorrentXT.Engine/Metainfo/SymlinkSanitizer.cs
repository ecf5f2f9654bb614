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
        PathPrefixIndex? dirMap = null;
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
            dirMap ??= new PathPrefixIndex(fs.Paths, "", ignoreAsciiCase: false);
            if (dirMap.Contains(target))
            {
                dirLinks[self] = target;
                continue;
            }
            // For backwards compatibility a target may also be relative to the link's directory.
            if (fe.Kind != PathKind.NoPath)
            {
                string rel = PathSplit.Combine(fe.Branch, target);
                if (fs.HasPath(rel) || dirMap.Contains(rel))
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
            if (!Resolves(fs.Symlinks[fe.SymlinkIndex], fileMap!, dirMap, dirLinks))
                fs.Symlinks[fe.SymlinkIndex] = fs.InternalFilePath(i);
        }
    }

    // Linux gives up after 40 nested links (ELOOP); a chain longer than that is not worth following.
    private const int MaxHops = 40;

    private static bool Resolves(string target, Dictionary<string, int> fileMap, PathPrefixIndex? dirMap,
        Dictionary<string, string> dirLinks)
    {
        // Each directory prefix of the target must be a real directory, or a link to one (followed
        // at most once each, and at most MaxHops times). The prefix hash grows as the scan moves
        // on, so a long target costs linear time per hop.
        var traversed = new HashSet<string>(StringComparer.Ordinal);
        ulong h = dirMap?.Begin ?? 0;
        for (int i = 0; ;)
        {
            int sep = target.IndexOf('/', i);
            if (sep < 0) break;
            for (int j = i; j < sep; j++) h = dirMap?.Step(h, target[j]) ?? 0;
            if (dirMap is not null && dirMap.Contains(h, target.AsSpan(0, sep)))
            {
                h = dirMap.Step(h, '/');
                i = sep + 1;
                continue;
            }
            string branch = target[..sep];
            if (!dirLinks.TryGetValue(branch, out var linked)) return false;
            if (traversed.Count == MaxHops || !traversed.Add(branch)) return false;
            target = PathSplit.Combine(linked, target[(sep + 1)..]);
            h = dirMap?.Begin ?? 0;
            i = 0;
        }
        return fileMap.ContainsKey(target) || (dirMap is not null && dirMap.Contains(target));
    }

    private static Dictionary<string, int> BuildFileMap(FileStorageBuilder fs)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < fs.Count; j++) map.TryAdd(fs.InternalFilePath(j), j);
        return map;
    }
}
