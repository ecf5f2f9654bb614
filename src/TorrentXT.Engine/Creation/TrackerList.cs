// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Creation;

/// <summary>
/// Parses the creator's tracker text: one URL per line, each line its own tier. Lines are trimmed of
/// spaces, tabs and '\r' at both ends, empty lines are skipped, and a URL already listed is dropped
/// (libtorrent keeps the first). Tier numbers can then have gaps, which the output never shows, so
/// the result is just the URLs in tier order.
/// </summary>
internal static class TrackerList
{
    private static readonly char[] Blank = [' ', '\t', '\r'];

    public static List<string> Parse(string? text)
    {
        var urls = new List<string>();
        if (string.IsNullOrEmpty(text)) return urls;
        foreach (var line in text.Split('\n'))
        {
            var url = line.Trim(Blank);
            if (url.Length == 0 || urls.Contains(url, StringComparer.Ordinal)) continue;
            urls.Add(url);
        }
        return urls;
    }
}
