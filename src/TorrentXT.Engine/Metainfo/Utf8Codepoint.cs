// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// libtorrent's UTF-8 reader (aux::parse_utf8_codepoint): how many bytes a sequence covers decides
/// how many bytes one '_' replaces when a name is sanitised, so 'caf\xe9.bin' becomes 'caf_in'.
/// </summary>
internal static class Utf8Codepoint
{
    /// <summary>Reads one sequence; the code point is -1 when invalid. The length is at least 1.</summary>
    public static (int CodePoint, int Length) Parse(ReadOnlySpan<byte> s)
    {
        byte b0 = s[0];
        int len = SequenceLength(b0);
        if (len == 1) return (b0, 1);
        if (len == 0) return (-1, 1);
        // A five-byte lead is not UTF-8 but libtorrent still skips that many bytes.
        if (len > 4) return (-1, len);
        if (len > s.Length) return (-1, s.Length);
        int ch = len switch { 2 => b0 & 0x1f, 3 => b0 & 0x0f, _ => b0 & 0x07 };
        for (int i = 1; i < len; i++)
        {
            byte b = s[i];
            if (b < 0x80 || b > 0xbf) return (-1, len);
            ch = (ch << 6) | (b & 0x3f);
        }
        bool overlong = len == 2 ? ch < 0x80 : len == 3 ? ch < 0x800 : ch < 0x10000;
        if (overlong || ch > 0x10ffff) return (-1, len);
        return (ch, len);
    }

    private static int SequenceLength(byte b)
    {
        if (b < 0x80) return 1;
        if (b >> 5 == 0b110) return 2;
        if (b >> 4 == 0b1110) return 3;
        if (b >> 3 == 0b11110) return 4;
        if (b >> 2 == 0b111110) return 5;
        return 0;
    }

    /// <summary>
    /// libtorrent's verify_encoding: every invalid sequence becomes '_' (used for comment and creator).
    /// </summary>
    public static string Repair(ReadOnlySpan<byte> s)
    {
        var sb = new System.Text.StringBuilder(s.Length);
        while (!s.IsEmpty)
        {
            var (cp, len) = Parse(s);
            AppendCodePoint(sb, cp);
            s = s[Math.Min(len, s.Length)..];
        }
        return sb.ToString();
    }

    /// <summary>Appends a code point; invalid ones, surrogates and out-of-range values become '_'.</summary>
    public static void AppendCodePoint(System.Text.StringBuilder sb, int cp)
    {
        if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = '_';
        if (cp < 0x10000) sb.Append((char)cp);
        else sb.Append(char.ConvertFromUtf32(cp));
    }
}
