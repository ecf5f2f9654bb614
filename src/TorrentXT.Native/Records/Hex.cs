// SPDX-License-Identifier: MIT
using System.Diagnostics.CodeAnalysis;

namespace TorrentXT.Native.Records;

/// <summary>
/// Hex text at the ABI (contract §1.1): inputs are exactly 2·N characters of [0-9a-fA-F] with no
/// prefix or whitespace; outputs are always lower-case.
/// </summary>
public static class Hex
{
    private static ReadOnlySpan<byte> LowerDigits => "0123456789abcdef"u8;

    /// <summary>Parses exactly <paramref name="expectedBytes"/> bytes of hex text; anything else fails.</summary>
    public static bool TryParse(string? text, int expectedBytes, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text is null || expectedBytes < 0 || text.Length != 2 * expectedBytes)
            return false;
        var result = new byte[expectedBytes];
        for (int i = 0; i < expectedBytes; i++)
        {
            int hi = Nibble(text[2 * i]), lo = Nibble(text[2 * i + 1]);
            if ((hi | lo) < 0)
                return false;
            result[i] = (byte)(hi << 4 | lo);
        }
        bytes = result;
        return true;
    }

    /// <summary>Parses UTF-8 hex text whose length must be exactly twice <paramref name="dest"/>'s.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, Span<byte> dest)
    {
        if (utf8.Length != 2 * dest.Length)
            return false;
        for (int i = 0; i < dest.Length; i++)
        {
            int hi = Nibble((char)utf8[2 * i]), lo = Nibble((char)utf8[2 * i + 1]);
            if ((hi | lo) < 0)
                return false;
            dest[i] = (byte)(hi << 4 | lo);
        }
        return true;
    }

    /// <summary>The bytes as a lower-case hex string.</summary>
    public static string Lower(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>
    /// Writes the lower-case hex of <paramref name="bytes"/> into <paramref name="dest"/>, as many
    /// characters as <paramref name="dest"/> holds up to 2·N (a short destination gets a prefix).
    /// </summary>
    public static int WriteLower(ReadOnlySpan<byte> bytes, Span<byte> dest)
    {
        int count = (int)Math.Min(2L * bytes.Length, dest.Length);
        for (int i = 0; i < count; i++)
        {
            byte b = bytes[i >> 1];
            dest[i] = LowerDigits[(i & 1) == 0 ? b >> 4 : b & 0xF];
        }
        return count;
    }

    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
