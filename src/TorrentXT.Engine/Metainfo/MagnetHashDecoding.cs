// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>The info-hash encodings of magnet links, decoded with libtorrent's exact leniency.</summary>
internal static class MagnetHashDecoding
{
    /// <summary>
    /// libtorrent's aux::from_hex: fills <paramref name="output"/> pair by pair and stops at the first
    /// non-hex character, leaving the rest zero. Magnet parsing ignores the failure, so
    /// "gggg..." gives an all-zero hash rather than an error.
    /// </summary>
    public static void FromHexLenient(ReadOnlySpan<char> hex, Span<byte> output)
    {
        output.Clear();
        for (int i = 0, o = 0; i < hex.Length && o < output.Length; i += 2, o++)
        {
            int hi = UrlEscaping.HexValue(hex[i]);
            if (hi < 0 || i + 1 >= hex.Length) return;
            int lo = UrlEscaping.HexValue(hex[i + 1]);
            if (lo < 0) return;
            output[o] = (byte)(hi << 4 | lo);
        }
    }

    /// <summary>
    /// libtorrent's base32decode (RFC 4648 alphabet, either case, '1' read as 'I', '=' padding that
    /// shortens a group). Returns null on any other character.
    /// </summary>
    public static byte[]? Base32(ReadOnlySpan<char> s)
    {
        // Output bytes of a group of 8 input characters, by where padding starts (0 = none).
        ReadOnlySpan<int> outputForPadStart = [5, 1, 1, 2, 2, 3, 4, 4, 5];
        var ret = new List<byte>(s.Length * 5 / 8 + 5);
        Span<byte> inbuf = stackalloc byte[8];
        Span<byte> outbuf = stackalloc byte[5];
        for (int i = 0; i < s.Length;)
        {
            int available = Math.Min(8, s.Length - i);
            int padStart = available < 8 ? available : 0;
            inbuf.Clear();
            for (int j = 0; j < available; j++)
            {
                char c = char.ToUpperInvariant(s[i++]);
                if (c is >= 'A' and <= 'Z') inbuf[j] = (byte)(c - 'A');
                else if (c is >= '2' and <= '7') inbuf[j] = (byte)(c - '2' + 26);
                else if (c == '=')
                {
                    inbuf[j] = 0;
                    if (padStart == 0) padStart = j;
                }
                else if (c == '1') inbuf[j] = 'I' - 'A';
                else return null;
            }
            outbuf[0] = (byte)(inbuf[0] << 3 | inbuf[1] >> 2);
            outbuf[1] = (byte)((inbuf[1] & 0x3) << 6 | inbuf[2] << 1 | (inbuf[3] & 0x10) >> 4);
            outbuf[2] = (byte)((inbuf[3] & 0x0f) << 4 | (inbuf[4] & 0x1e) >> 1);
            outbuf[3] = (byte)((inbuf[4] & 0x01) << 7 | (inbuf[5] & 0x1f) << 2 | (inbuf[6] & 0x18) >> 3);
            outbuf[4] = (byte)((inbuf[6] & 0x07) << 5 | inbuf[7]);
            int n = outputForPadStart[padStart];
            for (int k = 0; k < n; k++) ret.Add(outbuf[k]);
        }
        return ret.ToArray();
    }
}
