// SPDX-License-Identifier: MIT
using TorrentXT.Native.Records;
using Xunit;

namespace TorrentXT.Engine.Tests.Records;

/// <summary>CFormat.G6 is C's printf("%.6g"), contract §3.2. Expected texts come from glibc.</summary>
public class CFormatTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.25, "0.25")]
    [InlineData(0.123456789, "0.123457")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(123456.0, "123456")]
    [InlineData(1234567.0, "1.23457e+06")]
    [InlineData(0.9999996, "1")]
    [InlineData((double)0.99999994f, "1")]
    [InlineData(0.001953125, "0.00195312")]
    [InlineData(0.0009765625, "0.000976562")]
    [InlineData((double)0.3f, "0.3")]
    [InlineData(999999.5, "1e+06")]
    [InlineData(0.00009999995, "0.0001")]
    [InlineData(1e21, "1e+21")]
    [InlineData(999999.4, "999999")]
    [InlineData(999999.0, "999999")]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(100000.0, "100000")]
    [InlineData(99999.95, "99999.9")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.3, "0.3")]
    [InlineData(2.5, "2.5")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(0.000123456789, "0.000123457")]
    [InlineData(9.99999e-5, "9.99999e-05")]
    [InlineData(1e100, "1e+100")]
    [InlineData(1e-100, "1e-100")]
    [InlineData(double.MaxValue, "1.79769e+308")]
    [InlineData(double.Epsilon, "4.94066e-324")]
    [InlineData(2.2250738585072014e-308, "2.22507e-308")]
    [InlineData(-0.001953125, "-0.00195312")]
    [InlineData(123456.5, "123456")]
    [InlineData(123457.5, "123458")]
    [InlineData(1.0000005, "1")]
    [InlineData(100.0, "100")]
    [InlineData(9.9999949999999e-5, "9.99999e-05")]
    [InlineData(1e15, "1e+15")]
    [InlineData(9007199254740992.0, "9.0072e+15")]
    [InlineData(18446744073709551616.0, "1.84467e+19")]
    [InlineData(1e22, "1e+22")]
    [InlineData(1e23, "1e+23")]
    [InlineData(0.015625, "0.015625")]
    [InlineData(65536.0, "65536")]
    [InlineData(3.14159265358979, "3.14159")]
    [InlineData(-123456789.0, "-1.23457e+08")]
    [InlineData(0.000999999, "0.000999999")]
    [InlineData(0.0009999995, "0.001")]
    [InlineData(1e-310, "1e-310")]
    [InlineData(12345.65, "12345.6")]
    [InlineData(12345.75, "12345.8")]
    [InlineData(0.00390625, "0.00390625")]
    [InlineData(9.5367431640625e-07, "9.53674e-07")]
    [InlineData(1e-7, "1e-07")]
    [InlineData(-1e-300, "-1e-300")]
    [InlineData(1e300, "1e+300")]
    [InlineData(1.5e-323, "1.4822e-323")]
    [InlineData((double)0.1f, "0.1")]
    [InlineData((double)0.6f, "0.6")]
    [InlineData(7.0, "7")]
    [InlineData(10.0, "10")]
    [InlineData(0.7, "0.7")]
    [InlineData(1024.5, "1024.5")]
    public void G6_prints_what_glibc_printf_prints(double value, string expected)
    {
        Assert.Equal(expected, CFormat.G6(value));
    }

    [Theory]
    // Every example of contract §3.2, including the exact ties that round to even.
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.25, "0.25")]
    [InlineData(0.123456789, "0.123457")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(123456.0, "123456")]
    [InlineData(1234567.0, "1.23457e+06")]
    [InlineData(0.9999996, "1")]
    [InlineData((double)0.99999994f, "1")]
    [InlineData(0.001953125, "0.00195312")]
    [InlineData(0.0009765625, "0.000976562")]
    [InlineData((double)0.3f, "0.3")]
    [InlineData(999999.5, "1e+06")]
    [InlineData(0.00009999995, "0.0001")]
    [InlineData(1e21, "1e+21")]
    public void G6_matches_every_contract_example(double value, string expected)
    {
        Assert.Equal(expected, CFormat.G6(value));
    }

    [Theory]
    [InlineData(0x8000000000000000UL, "-0")]
    [InlineData(0x7FF0000000000000UL, "inf")]
    [InlineData(0xFFF0000000000000UL, "-inf")]
    [InlineData(0x7FF8000000000000UL, "nan")]
    [InlineData(0xFFF8000000000000UL, "-nan")]  // double.NaN has its sign bit set
    [InlineData(0x7FF0000000000001UL, "nan")]   // signalling NaN
    [InlineData(0x0000000000000001UL, "4.94066e-324")]
    [InlineData(0x000FFFFFFFFFFFFFUL, "2.22507e-308")]
    public void G6_prints_special_values_like_glibc(ulong bits, string expected)
    {
        Assert.Equal(expected, CFormat.G6(BitConverter.UInt64BitsToDouble(bits)));
    }

    [Fact]
    public void G6_writes_ascii_into_a_span_and_returns_its_length()
    {
        Span<byte> text = stackalloc byte[CFormat.G6MaxLength];
        int length = CFormat.G6(-1.7976931348623157e308, text);
        Assert.Equal("-1.79769e+308"u8.ToArray(), text[..length].ToArray());
        Assert.Throws<ArgumentException>(() => CFormat.G6(1.0, new byte[CFormat.G6MaxLength - 1]));
    }

    [GccFact]
    public void G6_agrees_with_the_real_C_printf_on_200k_random_and_edge_doubles()
    {
        var values = G6Corpus.Build(200_000, seed: 20240806);
        var expected = CPrintf.FormatG6(values);
        var mismatches = new List<string>();
        for (int i = 0; i < values.Length && mismatches.Count < 20; i++)
        {
            string actual = CFormat.G6(values[i]);
            if (actual != expected[i])
                mismatches.Add($"0x{BitConverter.DoubleToUInt64Bits(values[i]):x16} ({values[i]:R}): C \"{expected[i]}\", ours \"{actual}\"");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }
}
