// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Globalization;
using TorrentXT.Engine.Creation;

namespace TorrentXT.Bench;

/// <summary>
/// Times torrent creation of one file (automatic piece size) and prints one line per run:
/// "create &lt;mode&gt; &lt;seconds&gt; &lt;MB/s&gt;". A small warm-up run first keeps JIT time out of the figures.
/// </summary>
internal static class CreationBench
{
    public static int Run(string[] args)
    {
        if (args.Length < 3) return Commands.Usage();
        string file = args[0];
        var flags = args[1] switch
        {
            "v1" => CreateTorrentFlags.V1Only,
            "hybrid" => CreateTorrentFlags.None,
            "v2" => CreateTorrentFlags.V2Only,
            _ => throw new ArgumentException("mode must be v1, hybrid or v2"),
        };
        int runs = int.Parse(args[2], CultureInfo.InvariantCulture);
        string? output = args.Length > 3 ? args[3] : null;

        WarmUp(flags);
        long size = new FileInfo(file).Length;
        byte[] torrent = [];
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            torrent = TorrentCreator.Create(new CreateTorrentOptions(file, 0, (uint)flags, null), 0);
            double s = sw.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"create {args[1]} {s:F4} {size / s / 1e6:F0}"));
        }
        if (output is not null) File.WriteAllBytes(output, torrent);
        return 0;
    }

    private static void WarmUp(CreateTorrentFlags flags)
    {
        string dir = Directory.CreateTempSubdirectory("txt-bench-").FullName;
        try
        {
            string f = Path.Combine(dir, "warm.bin");
            File.WriteAllBytes(f, new byte[8 * 1024 * 1024 + 5]);
            TorrentCreator.Create(new CreateTorrentOptions(f, 0, (uint)flags, null), 0);
        }
        finally { Directory.Delete(dir, true); }
    }
}
