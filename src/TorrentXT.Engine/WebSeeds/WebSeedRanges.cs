// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.WebSeeds;

/// <summary>One HTTP range request: bytes [Offset, Offset + Length) of the file at Url, landing at PieceOffset.</summary>
internal readonly record struct WebSeedRange(string Url, long Offset, int Length, int PieceOffset);

/// <summary>
/// BEP 19's URL rules: a single-file torrent's URL names the file (or, ending in '/', the folder
/// that holds it); a multi-file torrent's URL is the folder that holds the torrent's top folder.
/// Pad files are not requested: their bytes are zeros.
/// </summary>
internal static class WebSeedRanges
{
    public static string FileUrl(string seedUrl, FileStorage files, TorrentFile file)
    {
        bool multi = files.Files.Count(f => !f.IsPad) > 1 || files.Files[0].Path.Contains('/');
        if (!multi && !seedUrl.EndsWith('/')) return seedUrl;
        string folder = seedUrl.EndsWith('/') ? seedUrl : seedUrl + "/";
        return folder + UrlEscaping.EscapePath(System.Text.Encoding.UTF8.GetBytes(file.Path));
    }

    public static List<WebSeedRange> ForPiece(string seedUrl, FileStorage files, int piece)
    {
        var slices = new List<FileSlice>();
        files.MapRange(files.PieceOffset(piece), files.PieceSize(piece), slices);
        var ranges = new List<WebSeedRange>(slices.Count);
        int at = 0;
        foreach (var s in slices)
        {
            var file = files.Files[s.FileIndex];
            if (!file.IsPad) ranges.Add(new WebSeedRange(FileUrl(seedUrl, files, file), s.FileOffset, s.Length, at));
            at += s.Length;
        }
        return ranges;
    }
}
