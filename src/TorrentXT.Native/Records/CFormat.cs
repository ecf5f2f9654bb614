// SPDX-License-Identifier: MIT
using System.Numerics;
using System.Text;

namespace TorrentXT.Native.Records;

/// <summary>
/// C's <c>printf("%.6g")</c> for doubles, reproduced exactly as glibc prints it (contract §3.2).
/// The digits come from the double's exact binary value with ties rounded to even, so no .NET
/// format string is involved. Values that fit 128-bit integer arithmetic (every progress value
/// and any magnitude from about 1e-17 to 1e20) take an allocation-free path; the rest use BigInteger.
/// </summary>
public static class CFormat
{
    /// <summary>A buffer this long holds any result; the longest is <c>-1.23457e+308</c> (13 bytes).</summary>
    public const int G6MaxLength = 16;

    private const int Precision = 6;
    private const ulong Lowest6 = 100_000;   // the smallest 6-digit significand
    private const ulong Above6 = 1_000_000;  // one past the largest

    private static readonly UInt128[] s_pow10 = BuildPowersOfTen();

    /// <summary>The <c>%.6g</c> text of <paramref name="value"/>.</summary>
    public static string G6(double value)
    {
        Span<byte> text = stackalloc byte[G6MaxLength];
        return Encoding.ASCII.GetString(text[..G6(value, text)]);
    }

    /// <summary>
    /// Writes the ASCII <c>%.6g</c> text of <paramref name="value"/> into <paramref name="dest"/>
    /// (at least <see cref="G6MaxLength"/> bytes) and returns its length.
    /// </summary>
    public static int G6(double value, Span<byte> dest)
    {
        if (dest.Length < G6MaxLength)
            throw new ArgumentException("destination too small", nameof(dest));
        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int biased = (int)((bits >> 52) & 0x7FF);
        ulong fraction = (ulong)bits & ((1UL << 52) - 1);
        int n = 0;
        if (negative)
            dest[n++] = (byte)'-';
        if (biased == 0x7FF)
        {
            // glibc prints the sign of a NaN too, so double.NaN (sign bit set) comes out "-nan".
            ReadOnlySpan<byte> word = fraction == 0 ? "inf"u8 : "nan"u8;
            word.CopyTo(dest[n..]);
            return n + word.Length;
        }
        if (biased == 0 && fraction == 0)
        {
            dest[n++] = (byte)'0';
            return n;
        }
        ulong mantissa = biased == 0 ? fraction : fraction | (1UL << 52);
        int exp2 = biased == 0 ? -1074 : biased - 1075;

        // Find k = floor(log10(|x|)) exactly: the estimate from Log10 can be one off near powers of ten,
        // which the significand's range reveals.
        int k = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        ulong q;
        int half;
        while (true)
        {
            (q, half) = ScaledSignificand(mantissa, exp2, Precision - 1 - k);
            if (q < Lowest6)
                k--;
            else if (q >= Above6)
                k++;
            else
                break;
        }
        if (half > 0 || (half == 0 && (q & 1) == 1))
            q++;
        if (q == Above6)
        {
            q = Lowest6;
            k++;
        }
        return n + Layout(q, k, dest[n..]);
    }

    /// <summary>
    /// floor(m·2^e·10^p) and how the discarded remainder compares with one half
    /// (-1 below, 0 exactly half, +1 above).
    /// </summary>
    private static (ulong Quotient, int Half) ScaledSignificand(ulong m, int e, int p)
    {
        int upShift = Math.Max(e, 0), downShift = Math.Max(-e, 0);
        int upTen = Math.Max(p, 0), downTen = Math.Max(-p, 0);
        // 10^n needs floor(n·log2(10)) + 1 bits; keep both sides under 2^126
        // so that doubling the remainder cannot overflow.
        if (upTen < s_pow10.Length && downTen < s_pow10.Length
            && 53 + upShift + Pow10Bits(upTen) <= 126 && downShift + 1 + Pow10Bits(downTen) <= 126)
        {
            UInt128 num = ((UInt128)m << upShift) * s_pow10[upTen];
            if (downTen == 0)
            {
                if (downShift == 0)
                    return ((ulong)num, -1);
                UInt128 rem = num & ((UInt128.One << downShift) - 1);
                UInt128 halfDen = UInt128.One << (downShift - 1);
                return ((ulong)(num >> downShift), rem.CompareTo(halfDen));
            }
            UInt128 den = s_pow10[downTen] << downShift;
            UInt128 quo = UInt128.DivRem(num, den).Quotient;
            UInt128 r = num - quo * den;
            return (Saturate(quo), (r << 1).CompareTo(den));
        }
        BigInteger bigNum = (new BigInteger(m) << upShift) * BigInteger.Pow(10, upTen);
        BigInteger bigDen = BigInteger.Pow(10, downTen) << downShift;
        BigInteger bigQ = BigInteger.DivRem(bigNum, bigDen, out BigInteger bigR);
        ulong quotient = bigQ > ulong.MaxValue ? ulong.MaxValue : (ulong)bigQ;
        return (quotient, (bigR << 1).CompareTo(bigDen));
    }

    private static ulong Saturate(UInt128 v) => v > ulong.MaxValue ? ulong.MaxValue : (ulong)v;

    // One spare bit absorbs any floating-point error in the estimate.
    private static int Pow10Bits(int n) => (int)(n * 3.3219280948873622) + 2;

    /// <summary>Prints a 6-digit significand with decimal exponent k the way %g chooses.</summary>
    private static int Layout(ulong significand, int k, Span<byte> dest)
    {
        Span<byte> digits = stackalloc byte[Precision];
        for (int i = Precision - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (int)(significand % 10));
            significand /= 10;
        }
        int kept = Precision;
        while (kept > 1 && digits[kept - 1] == '0')
            kept--;

        int n = 0;
        if (k >= -4 && k < Precision)
        {
            if (k >= 0)
            {
                // Integer part is k+1 digits; the stripped zeros never reach into it because
                // the fixed style has exactly 6 - (k+1) decimals before stripping.
                int intDigits = k + 1;
                for (int i = 0; i < intDigits; i++)
                    dest[n++] = digits[i];
                if (kept > intDigits)
                {
                    dest[n++] = (byte)'.';
                    for (int i = intDigits; i < kept; i++)
                        dest[n++] = digits[i];
                }
            }
            else
            {
                dest[n++] = (byte)'0';
                dest[n++] = (byte)'.';
                for (int i = 0; i < -k - 1; i++)
                    dest[n++] = (byte)'0';
                for (int i = 0; i < kept; i++)
                    dest[n++] = digits[i];
            }
            return n;
        }

        dest[n++] = digits[0];
        if (kept > 1)
        {
            dest[n++] = (byte)'.';
            for (int i = 1; i < kept; i++)
                dest[n++] = digits[i];
        }
        dest[n++] = (byte)'e';
        dest[n++] = k < 0 ? (byte)'-' : (byte)'+';
        int magnitude = Math.Abs(k);
        if (magnitude >= 100)
            dest[n++] = (byte)('0' + magnitude / 100);
        dest[n++] = (byte)('0' + magnitude / 10 % 10);
        dest[n++] = (byte)('0' + magnitude % 10);
        return n;
    }

    private static UInt128[] BuildPowersOfTen()
    {
        var table = new UInt128[39]; // 10^38 is the largest power of ten below 2^128
        table[0] = 1;
        for (int i = 1; i < table.Length; i++)
            table[i] = table[i - 1] * 10;
        return table;
    }
}
