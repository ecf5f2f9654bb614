// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// The set of every directory named by a list of '/'-separated paths (each path and each of its
/// prefixes ending before a '/'), optionally under a root name. Prefixes are hashed incrementally
/// and compared in place on a hash hit, so a hostile path of a million components costs linear
/// time and memory, not quadratic (libtorrent does the same with CRC32C prefix hashes).
/// </summary>
internal sealed class PathPrefixIndex
{
    private const ulong Seed = 14695981039346656037UL; // FNV-1a 64

    private readonly IReadOnlyList<string> _paths;
    private readonly string _root;
    private readonly bool _ignoreAsciiCase;
    private readonly Dictionary<ulong, List<(int Path, int Length)>> _byHash = new();

    public PathPrefixIndex(IReadOnlyList<string> paths, string root, bool ignoreAsciiCase)
    {
        _paths = paths;
        _root = root;
        _ignoreAsciiCase = ignoreAsciiCase;
        for (int k = 0; k < paths.Count; k++)
        {
            string p = paths[k];
            ulong h = Begin;
            if (root.Length > 0)
            {
                foreach (char c in root) h = Step(h, c);
                if (p.Length == 0) { Add(h, k, 0); continue; }
                h = Step(h, '/');
            }
            for (int i = 0; i < p.Length; i++)
            {
                if (p[i] == '/' && i > 0) Add(h, k, i);
                h = Step(h, p[i]);
            }
            if (p.Length > 0) Add(h, k, p.Length);
        }
    }

    /// <summary>The hash of the empty string; feed characters with <see cref="Step"/>.</summary>
    public ulong Begin => Seed;

    public ulong Step(ulong h, char c)
    {
        if (_ignoreAsciiCase && c is >= 'A' and <= 'Z') c = (char)(c + 32);
        return (h ^ c) * 1099511628211UL;
    }

    /// <summary>True when <paramref name="path"/> is one of the indexed directories.</summary>
    public bool Contains(ReadOnlySpan<char> path)
    {
        ulong h = Begin;
        foreach (char c in path) h = Step(h, c);
        return Contains(h, path);
    }

    /// <summary>Like <see cref="Contains(ReadOnlySpan{char})"/> with the path's hash already computed.</summary>
    public bool Contains(ulong hash, ReadOnlySpan<char> path)
    {
        if (!_byHash.TryGetValue(hash, out var hits)) return false;
        foreach (var (k, len) in hits)
            if (Matches(k, len, path)) return true;
        return false;
    }

    // Compares root + "/" + paths[k][..len] with the candidate without building the string.
    private bool Matches(int k, int len, ReadOnlySpan<char> path)
    {
        var dir = _paths[k].AsSpan(0, len);
        if (_root.Length > 0)
        {
            if (len == 0) return Same(_root, path);
            if (path.Length != _root.Length + 1 + len || path[_root.Length] != '/') return false;
            return Same(_root, path[.._root.Length]) && Same(dir, path[(_root.Length + 1)..]);
        }
        return Same(dir, path);
    }

    private bool Same(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length != b.Length) return false;
        if (!_ignoreAsciiCase) return a.SequenceEqual(b);
        for (int i = 0; i < a.Length; i++)
        {
            char x = a[i], y = b[i];
            if (x == y) continue;
            if ((x | 0x20) != (y | 0x20) || (x | 0x20) is < 'a' or > 'z') return false;
        }
        return true;
    }

    private void Add(ulong h, int path, int length)
    {
        if (!_byHash.TryGetValue(h, out var list)) _byHash[h] = list = new List<(int, int)>(1);
        list.Add((path, length));
    }
}
