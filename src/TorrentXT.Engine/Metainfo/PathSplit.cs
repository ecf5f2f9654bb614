// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>libtorrent's '/'-path helpers (lsplit_path, rsplit_path, append_path) on strings.</summary>
internal static class PathSplit
{
    /// <summary>(the first component, everything after its separator); a leading '/' is skipped.</summary>
    public static (string First, string Tail) Left(string p)
    {
        if (p.Length == 0) return ("", "");
        if (p[0] == '/') p = p[1..];
        int sep = p.IndexOf('/');
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
