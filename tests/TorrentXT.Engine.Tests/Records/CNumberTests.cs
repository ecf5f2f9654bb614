// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Native.Records;
using Xunit;

namespace TorrentXT.Engine.Tests.Records;

/// <summary>Decimal text inputs parse like C's strtoll/strtoull with base 10 (contract §1.3).</summary>
public class CNumberTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("42", 42L)]
    [InlineData("-42", -42L)]
    [InlineData("+42", 42L)]
    [InlineData("12abc", 12L)]
    [InlineData("abc", 0L)]
    [InlineData("", 0L)]
    [InlineData("-", 0L)]
    [InlineData("+-1", 0L)]
    [InlineData("--1", 0L)]
    [InlineData(" \t\n\v\f\r7", 7L)]
    [InlineData("  -8 9", -8L)]
    [InlineData("0x10", 0L)]
    [InlineData("007", 7L)]
    [InlineData("1.9", 1L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("9223372036854775808", long.MaxValue)]
    [InlineData("99999999999999999999999", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("-9223372036854775809", long.MinValue)]
    [InlineData("-99999999999999999999999", long.MinValue)]
    [InlineData("99999999999", 99999999999L)]
    public void Int64_parses_like_strtoll(string text, long expected)
    {
        Assert.Equal(expected, CNumber.ParseInt64Saturating(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("352440", 352440UL)]
    [InlineData("-1", ulong.MaxValue)]
    [InlineData("-2", ulong.MaxValue - 1)]
    [InlineData("-0", 0UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    [InlineData("18446744073709551616", ulong.MaxValue)]
    [InlineData("-18446744073709551616", ulong.MaxValue)]
    [InlineData("-18446744073709551615", 1UL)]
    [InlineData(" +16x", 16UL)]
    [InlineData("x16", 0UL)]
    public void UInt64_parses_like_strtoull(string text, ulong expected)
    {
        Assert.Equal(expected, CNumber.ParseUInt64Saturating(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData(99999999999L, 1215752191)]   // the contract's btx_set_int example
    [InlineData(4294967295L, -1)]
    [InlineData(2147483648L, int.MinValue)]
    [InlineData(-2147483649L, int.MaxValue)]
    [InlineData(long.MaxValue, -1)]
    [InlineData(-5L, -5)]
    public void Truncation_to_32_bits_wraps(long value, int expected)
    {
        Assert.Equal(expected, CNumber.TruncateToInt32(value));
    }

    [Fact]
    public unsafe void Pointers_read_up_to_the_NUL_and_null_gives_0()
    {
        byte[] text = "123\0456"u8.ToArray();
        fixed (byte* p = text)
        {
            Assert.Equal(123L, CNumber.ParseInt64Saturating(p));
            Assert.Equal(123UL, CNumber.ParseUInt64Saturating(p));
        }
        Assert.Equal(0L, CNumber.ParseInt64Saturating((byte*)null));
        Assert.Equal(0UL, CNumber.ParseUInt64Saturating((byte*)null));
    }
}
