// SPDX-License-Identifier: MIT
using System.Globalization;

namespace TorrentXT.Engine.Tests.Records;

/// <summary>
/// Doubles that stress %.6g: every bit pattern class (NaN, inf, subnormal, all exponents),
/// progress-like values, widened floats, exact binary ties, decimal near-ties and the neighbours
/// of every rounding and exponent threshold.
/// </summary>
internal static class G6Corpus
{
    public static double[] Build(int count, int seed)
    {
        var random = new Random(seed);
        var list = new List<double>(count);
        // Deterministic edges first: thresholds of the 6-digit rounding and of the style switch.
        for (int k = -324; k <= 308; k++)
        {
            foreach (string text in new[] { $"1e{k}", $"9.999995e{k}", $"9.9999949999999e{k}", $"5e{k}", $"1.000005e{k}" })
            {
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
                    AddWithNeighbours(list, v);
            }
        }
        for (int n = -1074; n <= 1023; n++)
            AddWithNeighbours(list, Math.ScaleB(1.0, n));

        while (list.Count < count)
        {
            switch (random.Next(8))
            {
                case 0: // any bit pattern at all
                    list.Add(BitConverter.Int64BitsToDouble(random.NextInt64() ^ ((long)random.Next() << 63)));
                    break;
                case 1: // progress in [0, 1]
                    list.Add(random.NextDouble());
                    break;
                case 2: // the engine's float progress, widened
                    list.Add(random.NextSingle());
                    break;
                case 3: // any float, widened
                    list.Add(BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31)));
                    break;
                case 4: // exact binary fractions: many are exact decimal ties at the 7th digit
                    list.Add(Math.ScaleB(random.Next(1, 1 << 20), -random.Next(0, 40)));
                    break;
                case 5: // decimal near-ties d.dddddd5 x 10^k, as the nearest double
                {
                    string text = $"{random.Next(100000, 1000000)}5e{random.Next(-330, 300)}";
                    double v = double.Parse(text, CultureInfo.InvariantCulture);
                    list.Add(random.Next(2) == 0 ? v : -v);
                    break;
                }
                case 6: // integers and byte counts
                    list.Add(random.NextInt64(0, long.MaxValue) >> random.Next(0, 63));
                    break;
                default: // rates and ratios of typical magnitude
                    list.Add((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 16)));
                    break;
            }
        }
        return list.Take(count).ToArray();
    }

    private static void AddWithNeighbours(List<double> list, double v)
    {
        list.Add(v);
        list.Add(Math.BitIncrement(v));
        list.Add(Math.BitDecrement(v));
        list.Add(-v);
    }
}
