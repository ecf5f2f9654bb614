// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// Compares strings ignoring ASCII case only, as libtorrent's string_equal_no_case and its
/// lower-cased path hashes do: "A.txt" equals "a.txt" but "É" does not equal "é".
/// </summary>
internal sealed class AsciiCaseInsensitiveComparer : IEqualityComparer<string>
{
    public static readonly AsciiCaseInsensitiveComparer Instance = new();

    public bool Equals(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null || x.Length != y.Length) return false;
        for (int i = 0; i < x.Length; i++)
            if (Lower(x[i]) != Lower(y[i])) return false;
        return true;
    }

    public int GetHashCode(string s)
    {
        var h = new HashCode();
        foreach (char c in s) h.Add(Lower(c));
        return h.ToHashCode();
    }

    private static char Lower(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
}
