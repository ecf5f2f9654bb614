// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using Xunit;

namespace TorrentXT.Engine.Tests.Settings;

/// <summary>One row of shared/vectors/settings.tsv, the table libtorrent 2.0.8 itself produced.</summary>
internal sealed record TsvSetting(string Name, int Id, string Type, string Default, string Source, bool Deprecated);

/// <summary>Finds and reads settings.tsv; absent vectors skip the cross-check rather than fail it.</summary>
internal static class SettingsTsv
{
    public static string? Path { get; } = Find();

    public static IReadOnlyList<TsvSetting> Load()
    {
        var lines = File.ReadAllLines(Path ?? throw new FileNotFoundException("settings.tsv"));
        Assert.Equal("name\tid\tid_hex\ttype\tdefault\tdefault_source\tdeprecated\tnote", lines[0]);
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var c = l.Split('\t');
            return new TsvSetting(c[0], int.Parse(c[1]), c[3], c[4], c[5], c[6] == "yes");
        }).ToList();
    }

    private static string? Find([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = System.IO.Path.Combine(dir.FullName, "shared", "vectors", "settings.tsv");
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}

/// <summary>A fact that needs settings.tsv and is skipped, with the reason, when it is absent.</summary>
public sealed class SettingsTsvFactAttribute : FactAttribute
{
    public SettingsTsvFactAttribute()
    {
        if (SettingsTsv.Path is null)
            Skip = "shared/vectors/settings.tsv not found above the test binaries or sources";
    }
}
