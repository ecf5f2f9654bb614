// SPDX-License-Identifier: MIT
using System.Diagnostics;
using Xunit;

namespace TorrentXT.Engine.Tests.Records;

/// <summary>Runs the system C library's printf("%.6g") through a tiny program compiled with gcc.</summary>
internal static class CPrintf
{
    private const string Source = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        /* Reads one hex bit pattern per line, prints printf("%.6g") of that double per line. */
        int main(int argc, char **argv) {
            FILE *in = fopen(argv[1], "r"), *out = fopen(argv[2], "w");
            char line[64];
            if (!in || !out) return 2;
            while (fgets(line, sizeof line, in)) {
                unsigned long long bits = strtoull(line, NULL, 16);
                double d;
                memcpy(&d, &bits, sizeof d);
                fprintf(out, "%.6g\n", d);
            }
            return fclose(out) == 0 ? 0 : 3;
        }
        """;

    public static string? GccPath { get; } = FindOnPath("gcc");

    public static string[] FormatG6(double[] values)
    {
        string dir = Directory.CreateTempSubdirectory("txt-g6-").FullName;
        try
        {
            string source = Path.Combine(dir, "g6.c"), program = Path.Combine(dir, "g6");
            string input = Path.Combine(dir, "in.txt"), output = Path.Combine(dir, "out.txt");
            File.WriteAllText(source, Source);
            File.WriteAllLines(input, values.Select(v => BitConverter.DoubleToUInt64Bits(v).ToString("x16")));
            Run(GccPath!, "-O1", "-o", program, source);
            Run(program, input, output);
            var lines = File.ReadAllLines(output);
            Assert.Equal(values.Length, lines.Length);
            return lines;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        string errors = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} did not finish within 60 s");
        }
        Assert.True(process.ExitCode == 0, $"{file} exited with {process.ExitCode}: {errors}");
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0)
                continue;
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}

/// <summary>A fact that needs gcc; without it the test is skipped with the reason.</summary>
public sealed class GccFactAttribute : FactAttribute
{
    public GccFactAttribute()
    {
        if (CPrintf.GccPath is null)
            Skip = "gcc not found on PATH: cannot compare CFormat.G6 with the C library's printf";
    }
}
