// SPDX-License-Identifier: MIT
namespace TorrentXT.Bench;

/// <summary>The tool's subcommands.</summary>
internal static class Commands
{
    private static readonly Dictionary<string, Func<string[], int>> All = new(StringComparer.Ordinal)
    {
        ["create"] = CreateCommand.Run,
        ["create-speed"] = CreationBench.Run,
        ["check-speed"] = CheckBench.Run,
    };

    public static bool TryGet(string name, out Func<string[], int> command) => All.TryGetValue(name, out command!);

    public static int Usage()
    {
        Console.Error.WriteLine("""
            usage: TorrentXT.Bench <command> ...
              create <content-path> <piece-size> <flags> <out.torrent> [trackers-file]
                  make a torrent without 'creation date' (prints the error text and exits 1 on failure)
              create-speed <file> <v1|hybrid|v2> <runs> [out.torrent]
                  time creation of <file> with the automatic piece size; one line per run
              check-speed <torrent> <save-path> <runs> [parallelism]
                  time a full PieceChecker pass over the torrent's data; one line per run
            """);
        return 2;
    }
}
