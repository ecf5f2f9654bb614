// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;

namespace TorrentXT.Engine.Tests;

/// <summary>
/// Finds the libtorrent test vectors: a 'shared/vectors' folder in an ancestor of the test binaries,
/// of this source file (builds with --artifacts-path put the binaries elsewhere), or of the working
/// directory. The TORRENTXT_VECTORS environment variable overrides the search.
/// </summary>
internal static class Vectors
{
    private static readonly Lazy<string> RootPath = new(Locate);

    public static string Root => RootPath.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static byte[] Bytes(params string[] parts) => File.ReadAllBytes(Path(parts));

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("TORRENTXT_VECTORS") is { Length: > 0 } env && Directory.Exists(env))
            return env;
        foreach (var start in new[] { AppContext.BaseDirectory, SourceDirectory(), Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "shared", "vectors");
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        throw new DirectoryNotFoundException("shared/vectors not found above " + AppContext.BaseDirectory
            + " or " + SourceDirectory() + "; set TORRENTXT_VECTORS");
    }

    private static string SourceDirectory([CallerFilePath] string file = "") =>
        System.IO.Path.GetDirectoryName(file) ?? ".";
}
