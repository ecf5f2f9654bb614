// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>libtorrent's '/'-path helpers (lsplit_path, rsplit_path, append_path) on strings.</summary>
internal static class PathSplit
{
    /// <summary>(before the first separator at or after <paramref name="pos"/>, after it).</summary>
    public static (string First, string Rest) Left(string p, int pos = 0)
    {
        if (p.Length == 0) return ("", "");
        if (p[0] == '/') { p = p[1..]; if (pos > 0) pos--; }
        int sep = pos > p.Length ? -1 : p.IndexOf('/', pos);
        return sep < 0 ? (p, "") : (p[..sep], p[(sep + 1)..]);
    }

    /// <summary>(everything before the last separator, the leaf).</summary>
    public static (string Branch, string Leaf) Right(string p)
    {
        if (p.Length == 0) return ("", "");
        if (p[^1] == '/') p = p[..^1];
        int sep = p.LastIndexOf('/');
        return sep < 0 ? ("", p) : (p[..sep], p[(sep + 1)..]);
    }

    public static string Combine(string lhs, string rhs)
    {
        if (lhs.Length == 0 || lhs == ".") return rhs;
        if (rhs.Length == 0 || rhs == ".") return lhs;
        return lhs[^1] == '/' ? lhs + rhs : lhs + "/" + rhs;
    }

    public static bool HasParent(string p)
    {
        if (p.Length == 0 || p == "/") return false;
        int len = p.Length - 1;
        if (p[len] == '/') len--;
        return len >= 0 && p.LastIndexOf('/', len) >= 0;
    }
}
