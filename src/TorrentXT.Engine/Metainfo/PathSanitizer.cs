// SPDX-License-Identifier: MIT
using System.Text;

namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// Turns untrusted path components from a .torrent into safe ones, the way libtorrent 2.0.8 does on
/// Linux (aux::sanitize_append_path_element): libtorrent repairs rather than rejects. A component of
/// "." or ".." (or one that is nothing but at most two dots once cleaned) is dropped; an empty one
/// becomes "_"; '/' and '\' and the Unicode direction overrides are removed; every invalid UTF-8
/// sequence and every control character becomes one '_'; a component is cut near 240 bytes,
/// keeping a short extension. The result never holds a separator, a control character, or a
/// component that is empty, "." or "..", so it cannot climb out of the save path.
/// </summary>
public static class PathSanitizer
{
    /// <summary>libtorrent cuts a component once this many bytes were written (then keeps an extension).</summary>
    public const int MaxComponentBytes = 240;

    /// <summary>
    /// Appends <paramref name="element"/> (raw UTF-8 bytes) to <paramref name="path"/> as one more
    /// '/'-separated component, sanitised. Appends nothing when the component is dropped.
    /// </summary>
    public static void AppendComponent(StringBuilder path, ReadOnlySpan<byte> element)
    {
        if (element.Length == 1 && element[0] == (byte)'.') return;
        int before = path.Length;
        if (path.Length > 0) path.Append('/');
        if (element.IsEmpty)
        {
            path.Append('_');
            return;
        }

        int added = 0, dots = 0; // bytes written and how many of them were '.'
        bool foundExtension = false;
        int seqLen;
        for (int i = 0; i < element.Length; i += seqLen)
        {
            var (cp, len) = Utf8Codepoint.Parse(element[i..]);
            seqLen = len;
            if (cp >= 0 && IsFiltered(cp)) continue;
            if (cp < 0 || cp < 32 || (cp >= 0xd800 && cp <= 0xdfff))
            {
                // libtorrent copies an encoded surrogate through unchanged; a .NET string cannot hold
                // it, so it is replaced like any other invalid sequence.
                path.Append('_');
                added++;
                continue;
            }
            Utf8Codepoint.AppendCodePoint(path, cp);
            if (cp == '.') dots++;
            added += seqLen;
            if (added >= MaxComponentBytes && !foundExtension)
            {
                // Keep a short extension: jump to a '.' among the last 9 bytes, if there is one.
                int dot = -1;
                for (int j = element.Length - 1; j > Math.Max(element.Length - 10, i); j--)
                {
                    if (element[j] != (byte)'.') continue;
                    dot = j;
                    break;
                }
                if (dot == -1) break;
                foundExtension = true;
                i = dot - seqLen;
            }
        }

        if (added == dots && added <= 2)
        {
            // Nothing but "." or ".." (or nothing at all) survived: drop the component entirely.
            path.Length = before;
            return;
        }
        if (path.Length == 0) path.Append('_');
    }

    /// <summary>The sanitised form of one component, or "" when libtorrent would drop it.</summary>
    public static string SanitizeComponent(ReadOnlySpan<byte> element)
    {
        var sb = new StringBuilder(element.Length);
        AppendComponent(sb, element);
        return sb.ToString();
    }

    /// <summary>The sanitised form of one component given as text.</summary>
    public static string SanitizeComponent(string element) => SanitizeComponent(Encoding.UTF8.GetBytes(element));

    /// <summary>
    /// True when <paramref name="relativePath"/> is safe to join under a save path: not rooted, and
    /// every '/'-separated component is non-empty, not "." or "..", and free of '\' and control characters.
    /// </summary>
    public static bool IsSafeRelativePath(string relativePath)
    {
        if (string.IsNullOrEmpty(relativePath)) return false;
        foreach (var range in relativePath.AsSpan().Split('/'))
        {
            var c = relativePath.AsSpan()[range];
            if (c.IsEmpty || c.SequenceEqual(".") || c.SequenceEqual("..")) return false;
            foreach (char ch in c)
                if (ch < 32 || ch == '\\' || ch == '\0') return false;
        }
        return true;
    }

    /// <summary>
    /// Joins <paramref name="relativePath"/> under <paramref name="root"/> and confirms the result
    /// stays inside it (component checks first, then the normalised full path as a second guard).
    /// </summary>
    public static bool TryResolveUnder(string root, string relativePath, out string fullPath)
    {
        fullPath = "";
        if (!IsSafeRelativePath(relativePath)) return false;
        string baseFull = System.IO.Path.GetFullPath(root);
        string candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(baseFull, relativePath));
        string prefix = baseFull.EndsWith(System.IO.Path.DirectorySeparatorChar) ? baseFull : baseFull + System.IO.Path.DirectorySeparatorChar;
        if (!candidate.StartsWith(prefix, StringComparison.Ordinal)) return false;
        fullPath = candidate;
        return true;
    }

    // Removed outright: separators, and code points that flip the writing direction (they let
    // "evil\u202Etxt.exe" pose as "evilexe.txt").
    private static bool IsFiltered(int cp) => cp switch
    {
        '/' or '\\' => true,
        0x202a or 0x202b or 0x202c or 0x202d or 0x202e or 0x200e or 0x200f => true,
        _ => false,
    };
}
