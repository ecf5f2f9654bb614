// SPDX-License-Identifier: MIT
using System.Globalization;
using TorrentXT.Engine.Creation;

namespace TorrentXT.Bench;

/// <summary>Makes one torrent, for cross-checks against libtorrent (creation date left out).</summary>
internal static class CreateCommand
{
    public static int Run(string[] args)
    {
        if (args.Length < 4) return Commands.Usage();
        string? trackers = args.Length > 4 ? File.ReadAllText(args[4]) : null;
        var options = new CreateTorrentOptions(args[0], int.Parse(args[1], CultureInfo.InvariantCulture),
            unchecked((uint)long.Parse(args[2], CultureInfo.InvariantCulture)), trackers);
        try
        {
            File.WriteAllBytes(args[3], TorrentCreator.Create(options, creationDate: 0));
            return 0;
        }
        catch (CreateTorrentException e)
        {
            Console.WriteLine((e.IsFirewallText ? "libtorrent exception: " : "") + e.Message);
            return 1;
        }
    }
}
