// SPDX-License-Identifier: MIT
using System.Globalization;

namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// libtorrent's torrent_info::resolve_duplicate_filenames: a file whose path (ignoring ASCII case)
/// equals an earlier file or any directory of the torrent is renamed "base.N.ext" with the smallest
/// free N, so no two entries ever write to the same place. Pad files of the same size may share a path.
/// </summary>
internal static class DuplicateFileResolver
{
    public static void Resolve(FileStorageBuilder fs)
    {
        var directories = new PathPrefixIndex(fs.Paths, fs.Name, ignoreAsciiCase: true);
        // File path -> index of the file that holds it.
        var files = new Dictionary<string, int>(AsciiCaseInsensitiveComparer.Instance);
        // Per stem and extension, the lowest N not yet known to be taken. Taken names never become free
        // again, so resuming the search there gives libtorrent's answer without its quadratic
        // cost when thousands of files share one name.
        Dictionary<string, int>? nextSuffix = null;

        for (int i = 0; i < fs.Count; i++)
        {
            string path = fs.FilePath(i);
            bool isDirectory = directories.Contains(path);
            if (!isDirectory && files.TryAdd(path, i)) continue;

            if (!isDirectory && files.TryGetValue(path, out int other))
            {
                var me = fs.Files[i];
                if (me.IsPad && fs.Files[other].IsPad && me.Size == fs.Files[other].Size) continue;
            }

            string ext = Extension(path);
            string stem = RemoveExtension(path);
            nextSuffix ??= new Dictionary<string, int>(AsciiCaseInsensitiveComparer.Instance);
            string key = stem + "\0" + ext;
            int n = nextSuffix.GetValueOrDefault(key, 1);
            for (; ; n++)
            {
                string candidate = stem + "." + n.ToString(CultureInfo.InvariantCulture) + ext;
                if (directories.Contains(candidate) || !files.TryAdd(candidate, i)) continue;
                fs.Rename(i, candidate);
                break;
            }
            nextSuffix[key] = n + 1;
        }
    }

    // libtorrent's extension(): from the last '.' of the leaf, or "".
    private static string Extension(string f)
    {
        for (int i = f.Length - 1; i >= 0; i--)
        {
            if (f[i] == '/') break;
            if (f[i] == '.') return f[i..];
        }
        return "";
    }

    // libtorrent's remove_extension(): a dot at the very start of the string is not an extension.
    private static string RemoveExtension(string f)
    {
        int slash = f.LastIndexOf('/');
        int dot = f.LastIndexOf('.');
        if (dot <= 0 || (slash >= 0 && dot < slash)) return f;
        return f[..dot];
    }
}
