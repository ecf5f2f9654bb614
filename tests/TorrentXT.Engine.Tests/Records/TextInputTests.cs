// SPDX-License-Identifier: MIT
using TorrentXT.Native.Records;
using Xunit;

namespace TorrentXT.Engine.Tests.Records;

/// <summary>Hex text (contract §1.1) and NUL-terminated UTF-8 inputs (§1.2).</summary>
public class TextInputTests
{
    [Theory]
    [InlineData("c37acda1891f1ecbde0e62af89ea1dd5430d1532")]
    [InlineData("C37ACDA1891F1ECBDE0E62AF89EA1DD5430D1532")]
    [InlineData("C37acdA1891f1ecbde0e62af89ea1dd5430d1532")]
    public void Hex_accepts_either_case(string text)
    {
        Assert.True(Hex.TryParse(text, 20, out var bytes));
        Assert.Equal("c37acda1891f1ecbde0e62af89ea1dd5430d1532", Hex.Lower(bytes));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("c37acda1891f1ecbde0e62af89ea1dd5430d153")]     // 39 characters
    [InlineData("c37acda1891f1ecbde0e62af89ea1dd5430d15321")]   // 41
    [InlineData("c37acda1891f1ecbde0e62af89ea1dd5430d15320a")]  // 42: 21 bytes
    [InlineData("0xc37acda1891f1ecbde0e62af89ea1dd5430d15")]    // prefix
    [InlineData(" 37acda1891f1ecbde0e62af89ea1dd5430d1532")]    // whitespace
    [InlineData("g37acda1891f1ecbde0e62af89ea1dd5430d1532")]    // not hex
    [InlineData("c37acda1891f1ecbde0e62af89ea1dd5430d153\u0663")] // a non-ASCII digit
    public void Hex_refuses_anything_but_exactly_2N_hex_characters(string? text)
    {
        Assert.False(Hex.TryParse(text, 20, out var bytes));
        Assert.Null(bytes);
    }

    [Fact]
    public void Hex_parses_utf8_spans_of_exact_length()
    {
        Span<byte> key = stackalloc byte[2];
        Assert.True(Hex.TryParse("aB0f"u8, key));
        Assert.Equal(new byte[] { 0xAB, 0x0F }, key.ToArray());
        Assert.False(Hex.TryParse("aB0"u8, key));
        Assert.False(Hex.TryParse("aB0z"u8, key));
        Assert.True(Hex.TryParse(""u8, Span<byte>.Empty));
    }

    [Fact]
    public void Hex_writes_lower_case_and_a_short_destination_gets_a_prefix()
    {
        Span<byte> text = stackalloc byte[3];
        Assert.Equal(3, Hex.WriteLower([0xAB, 0xCD], text));
        Assert.Equal("abc"u8.ToArray(), text.ToArray());
    }

    [Fact]
    public unsafe void Utf8Z_reads_to_the_NUL_and_null_is_null()
    {
        byte[] text = "h\u00e9llo\0tail"u8.ToArray();
        fixed (byte* p = text)
        {
            Assert.Equal("h\u00e9llo", Utf8Z.Read(p));
            Assert.Equal(6, Utf8Z.Span(p).Length);
            Assert.False(Utf8Z.IsNullOrEmpty(p));
        }
        byte[] empty = [0];
        fixed (byte* p = empty)
        {
            Assert.Equal("", Utf8Z.Read(p));
            Assert.True(Utf8Z.IsNullOrEmpty(p));
        }
        Assert.Null(Utf8Z.Read(null));
        Assert.True(Utf8Z.Span(null).IsEmpty);
        Assert.True(Utf8Z.IsNullOrEmpty(null));
    }
}
