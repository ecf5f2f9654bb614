// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Globalization;
using TorrentXT.Engine.Hashing;
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Bench;

/// <summary>
/// Times a full check of a torrent's data with <see cref="PieceChecker"/> on all cores and prints one
/// line per run: "check &lt;seconds&gt; &lt;MB/s&gt; &lt;pieces passed&gt;/&lt;pieces&gt;".
/// </summary>
internal static class CheckBench
{
    public static int Run(string[] args)
    {
        if (args.Length < 3) return Commands.Usage();
        var info = TorrentInfo.Load(File.ReadAllBytes(args[0]));
        string savePath = args[1];
        int runs = int.Parse(args[2], CultureInfo.InvariantCulture);
        int parallelism = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        var checker = new PieceChecker(info, savePath);
        long payload = info.Files.Files.Where(f => !f.IsPad).Sum(f => f.Size);
        for (int i = 0; i <= runs; i++)
        {
            int passed = 0;
            var sw = Stopwatch.StartNew();
            checker.CheckAll((_, ok) => { if (ok) Interlocked.Increment(ref passed); }, parallelism, CancellationToken.None);
            double s = sw.Elapsed.TotalSeconds;
            if (i == 0) continue; // the first run warms the JIT
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"check {s:F4} {payload / s / 1e6:F0} {passed}/{checker.PieceCount}"));
        }
        return 0;
    }
}
