// SPDX-License-Identifier: MIT
using System.Diagnostics;
using TorrentXT.Engine.Metainfo;
using Xunit;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>
/// Damaged input never escapes as anything but <see cref="MetainfoException"/>, never hangs, and
/// whatever loads has only safe paths and consistent geometry. Seeded, so failures reproduce.
/// </summary>
public class FuzzTests
{
    private const int MutationsPerInput = 150;

    private static IEnumerable<byte[]> Inputs()
    {
        foreach (var t in Manifest.Torrents.EnumerateArray()) yield return Vectors.Bytes("torrents", t.Str("file")!);
        foreach (var c in Manifest.BadCases.EnumerateArray()) yield return Vectors.Bytes("bad-torrents", c.Str("file")!);
        foreach (var p in Manifest.ExtraProbes.EnumerateArray()) yield return Manifest.HexBytes(p.Str("bytes_hex")!);
    }

    [Fact]
    public void Truncations_and_bit_flips_only_ever_raise_MetainfoException()
    {
        var rng = new Random(20240607);
        var clock = Stopwatch.StartNew();
        int loaded = 0, rejected = 0;
        foreach (var input in Inputs())
        {
            if (input.Length == 0) continue;
            for (int n = 0; n < MutationsPerInput; n++)
            {
                byte[] mutated = Mutate(input, rng);
                try
                {
                    var ti = TorrentInfo.Load(mutated);
                    CheckInvariants(ti);
                    loaded++;
                }
                catch (MetainfoException) { rejected++; }
            }
        }
        Assert.True(loaded > 0 && rejected > 0, $"loaded {loaded}, rejected {rejected}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Mangled_magnets_only_ever_raise_MetainfoException()
    {
        var rng = new Random(7);
        const string alphabet = "magnet:?xt=urn:btihm&%=.,-0123456789abcdefABCDEF[]:/+ ";
        foreach (var m in Manifest.Magnets.EnumerateArray())
        {
            string uri = m.Str("uri")!;
            for (int n = 0; n < MutationsPerInput; n++)
            {
                var chars = uri.ToCharArray();
                if (chars.Length == 0) break;
                int edits = rng.Next(1, 4);
                for (int e = 0; e < edits; e++) chars[rng.Next(chars.Length)] = alphabet[rng.Next(alphabet.Length)];
                string mangled = new string(chars)[..rng.Next(chars.Length + 1)];
                try
                {
                    var mg = MagnetUri.Parse(mangled);
                    _ = mg.ToString();
                }
                catch (MetainfoException) { }
            }
        }
    }

    private static byte[] Mutate(byte[] input, Random rng)
    {
        switch (rng.Next(3))
        {
            case 0: return input[..rng.Next(input.Length)];
            case 1:
            {
                var copy = (byte[])input.Clone();
                int flips = rng.Next(1, 4);
                for (int i = 0; i < flips; i++) copy[rng.Next(copy.Length)] ^= (byte)(1 << rng.Next(8));
                return copy;
            }
            default:
            {
                // Replace a byte with a bencode structural character to reshape the tree.
                var copy = (byte[])input.Clone();
                copy[rng.Next(copy.Length)] = "deil0123456789:-"u8[rng.Next(16)];
                return copy;
            }
        }
    }

    private static void CheckInvariants(TorrentInfo ti)
    {
        var fs = ti.Files;
        long offset = 0;
        foreach (var f in fs.Files)
        {
            Assert.True(PathSanitizer.IsSafeRelativePath(f.Path), f.Path);
            Assert.Equal(offset, f.Offset);
            offset += f.Size;
        }
        Assert.Equal(fs.TotalSize, offset);
        Assert.Equal((fs.TotalSize + fs.PieceLength - 1) / fs.PieceLength, fs.NumPieces);
        var slices = new List<FileSlice>();
        fs.MapRange(0, (int)Math.Min(fs.TotalSize, int.MaxValue), slices);
        Assert.Equal(Math.Min(fs.TotalSize, int.MaxValue), slices.Sum(s => (long)s.Length));
    }
}
