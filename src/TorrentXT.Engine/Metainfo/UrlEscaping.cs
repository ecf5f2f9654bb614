// SPDX-License-Identifier: MIT
using System.Text;

namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// libtorrent's percent-escaping rules (aux/escape_string.cpp), used for magnet links and web seed
/// URLs. Escapes are written with lower-case hex, as make_magnet_uri does.
/// </summary>
internal static class UrlEscaping
{
    // The order matters: escape_string skips the first 11 characters of this table (so '/' and the
    // reserved characters are escaped), escape_path the first 10 (so '/' is kept), and need_encoding
    // accepts all of it.
    private const string Unreserved =
        "%+" + ";?:@=&,$/" + "-_!.~*()" + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" + "0123456789";
    private const string HexDigits = "0123456789abcdef";

    /// <summary>escape_string: everything but "-_!.~*()" and alphanumerics is escaped.</summary>
    public static string EscapeString(string s) => Escape(Encoding.UTF8.GetBytes(s), 11);

    /// <summary>escape_path: like <see cref="EscapeString"/> but '/' is kept.</summary>
    public static string EscapePath(ReadOnlySpan<byte> s) => Escape(s, 10);

    private static string Escape(ReadOnlySpan<byte> s, int offset)
    {
        var allowed = Unreserved.AsSpan(offset);
        var sb = new StringBuilder(s.Length + 8);
        foreach (byte b in s)
        {
            if (b != 0 && b < 128 && allowed.Contains((char)b)) sb.Append((char)b);
            else sb.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 15]);
        }
        return sb.ToString();
    }

    private static bool NeedsEncoding(ReadOnlySpan<byte> s)
    {
        foreach (byte b in s)
            if (b == 0 || b >= 128 || !Unreserved.Contains((char)b)) return true;
        return false;
    }

    /// <summary>
    /// unescape_string: '+' becomes a space and %XX a byte. On a bad escape <paramref name="error"/>
    /// is set and the bytes decoded so far are returned (libtorrent's callers differ in what they do then).
    /// </summary>
    public static byte[] Unescape(ReadOnlySpan<char> s, out bool error)
    {
        error = false;
        var ret = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '+') { ret.Add((byte)' '); continue; }
            if (c != '%')
            {
                // The input is a .NET string; non-ASCII characters go back to their UTF-8 bytes.
                if (c < 128) ret.Add((byte)c);
                else
                {
                    int n = char.IsHighSurrogate(c) && i + 1 < s.Length ? 2 : 1;
                    ret.AddRange(Encoding.UTF8.GetBytes(s.Slice(i, n).ToArray()));
                    i += n - 1;
                }
                continue;
            }
            int hi = i + 1 < s.Length ? HexValue(s[i + 1]) : -1;
            int lo = hi >= 0 && i + 2 < s.Length ? HexValue(s[i + 2]) : -1;
            if (lo < 0)
            {
                error = true;
                return ret.ToArray();
            }
            ret.Add((byte)(hi * 16 + lo));
            i += 2;
        }
        return ret.ToArray();
    }

    public static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>
    /// maybe_url_encode: when the path of an http(s)-style URL holds characters that need escaping,
    /// the path is re-escaped (keeping '/'); URLs that are already clean, or that do not parse, are
    /// returned unchanged.
    /// </summary>
    public static string MaybeUrlEncode(ReadOnlySpan<byte> url)
    {
        string text = Encoding.UTF8.GetString(url);
        int p = 0;
        while (p < url.Length && IsSpace(url[p])) p++;
        int colon = url[p..].IndexOf((byte)':');
        if (colon < 0) return text;
        int protoEnd = p + colon;
        if (protoEnd + 2 >= url.Length || url[protoEnd + 1] != (byte)'/' || url[protoEnd + 2] != (byte)'/') return text;
        int start = protoEnd + 3;
        var rest = url[start..];
        int slash = rest.IndexOf((byte)'/');
        int end = slash < 0 ? url.Length : start + slash;
        // Only the authority's shape is checked here; the port must be all digits, as in parse_url_components.
        var authority = url[start..end];
        int at = authority.IndexOf((byte)'@');
        int hostStart = at >= 0 && authority[..at].IndexOf((byte)':') >= 0 ? at + 1 : 0;
        var hostPart = authority[hostStart..];
        int portColon;
        if (!hostPart.IsEmpty && hostPart[0] == (byte)'[')
        {
            int close = hostPart.IndexOf((byte)']');
            if (close < 0) return text;
            int c2 = hostPart[close..].IndexOf((byte)':');
            portColon = c2 < 0 ? -1 : close + c2;
        }
        else portColon = hostPart.IndexOf((byte)':');
        if (portColon >= 0)
            foreach (byte b in hostPart[(portColon + 1)..])
                if (b < (byte)'0' || b > (byte)'9') return text;

        var path = url[end..];
        if (!NeedsEncoding(path)) return text;
        return Encoding.UTF8.GetString(url[p..end]) + EscapePath(path);
    }

    public static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v';
}
