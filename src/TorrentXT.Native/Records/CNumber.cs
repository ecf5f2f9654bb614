// SPDX-License-Identifier: MIT
namespace TorrentXT.Native.Records;

/// <summary>
/// Decimal text parsed the way C's <c>strtoll</c>/<c>strtoull</c> do it with base 10 (contract
/// §1.3): leading C whitespace is skipped, one optional sign is accepted, parsing stops at the first
/// non-digit, text without digits gives 0, and overflow saturates. These parses never fail.
/// </summary>
public static class CNumber
{
    /// <summary><c>strtoll(p, NULL, 10)</c> over a NUL-terminated string; a null pointer gives 0.</summary>
    public static unsafe long ParseInt64Saturating(byte* text) =>
        text == null ? 0 : ParseInt64Saturating(Utf8Z.Span(text));

    /// <summary><c>strtoll</c> semantics: saturates to <see cref="long.MinValue"/>/<see cref="long.MaxValue"/>.</summary>
    public static long ParseInt64Saturating(ReadOnlySpan<byte> text)
    {
        int i = SkipSpace(text);
        bool negative = false;
        if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            negative = text[i++] == '-';
        // Accumulate the magnitude as unsigned; |long.MinValue| = 2^63 still fits.
        ulong limit = negative ? 1UL << 63 : long.MaxValue;
        ulong magnitude = 0;
        bool overflow = false;
        for (; i < text.Length && IsDigit(text[i]); i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (overflow || magnitude > (limit - digit) / 10)
                overflow = true;
            else
                magnitude = magnitude * 10 + digit;
        }
        if (overflow)
            return negative ? long.MinValue : long.MaxValue;
        return negative ? (long)(0 - magnitude) : (long)magnitude;
    }

    /// <summary><c>strtoull(p, NULL, 10)</c> over a NUL-terminated string; a null pointer gives 0.</summary>
    public static unsafe ulong ParseUInt64Saturating(byte* text) =>
        text == null ? 0 : ParseUInt64Saturating(Utf8Z.Span(text));

    /// <summary>
    /// <c>strtoull</c> semantics: a minus sign negates in unsigned arithmetic (<c>"-1"</c> is all
    /// ones), and a magnitude over 2^64-1 gives all ones whatever the sign.
    /// </summary>
    public static ulong ParseUInt64Saturating(ReadOnlySpan<byte> text)
    {
        int i = SkipSpace(text);
        bool negative = false;
        if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            negative = text[i++] == '-';
        ulong magnitude = 0;
        bool overflow = false;
        for (; i < text.Length && IsDigit(text[i]); i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (overflow || magnitude > (ulong.MaxValue - digit) / 10)
                overflow = true;
            else
                magnitude = magnitude * 10 + digit;
        }
        if (overflow)
            return ulong.MaxValue;
        return negative ? 0 - magnitude : magnitude;
    }

    /// <summary>Two's-complement truncation to 32 bits, as C's conversion to <c>int</c> does on our targets.</summary>
    public static int TruncateToInt32(long value) => unchecked((int)value);

    private static int SkipSpace(ReadOnlySpan<byte> text)
    {
        int i = 0;
        // C's isspace in the "C" locale: space, \t, \n, \v, \f, \r.
        while (i < text.Length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r')))
            i++;
        return i;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
