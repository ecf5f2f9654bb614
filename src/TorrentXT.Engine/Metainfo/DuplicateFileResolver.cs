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
        // Path -> owning file index, or -1 for a directory.
        var taken = new Dictionary<string, int>(AsciiCaseInsensitiveComparer.Instance);
        foreach (var p in fs.Paths)
        {
            if (p.Length == 0)
            {
                taken.TryAdd(fs.Name, -1);
                continue;
            }
            for (int k = p.IndexOf('/'); k >= 0; k = p.IndexOf('/', k + 1))
                taken.TryAdd(PathSplit.Combine(fs.Name, p[..k]), -1);
            taken.TryAdd(PathSplit.Combine(fs.Name, p), -1);
        }

        for (int i = 0; i < fs.Count; i++)
        {
            string path = fs.FilePath(i);
            if (!taken.TryGetValue(path, out int other))
            {
                taken.Add(path, i);
                continue;
            }
            var me = fs.Files[i];
            if (other >= 0 && me.IsPad && fs.Files[other].IsPad && me.Size == fs.Files[other].Size) continue;

            string ext = Extension(path);
            string stem = RemoveExtension(path);
            for (int n = 1; ; n++)
            {
                string candidate = stem + "." + n.ToString(CultureInfo.InvariantCulture) + ext;
                if (taken.TryAdd(candidate, i))
                {
                    fs.Rename(i, candidate);
                    break;
                }
            }
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

    // libtorrent's remove_extension(): a leading dot of the whole string is not an extension.
    private static string RemoveExtension(string f)
    {
        int slash = f.LastIndexOf('/');
        int dot = f.LastIndexOf('.');
        if (dot <= 0 || (slash >= 0 && dot < slash)) return f;
        return f[..dot];
    }
}
