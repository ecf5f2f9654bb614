// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;
using TorrentXT.Engine.Hashing;

namespace TorrentXT.Engine.Creation;

/// <summary>One entry of the torrent's file list: a scanned file or a pad file (BEP 47, attr "p").</summary>
internal sealed record LayoutFile(byte[][] Path, long Size, long Offset, bool IsPad, bool Executable, long MTime, string? SourcePath);

/// <summary>
/// Orders the files and inserts pad files as libtorrent 2.0.8's file_storage::canonicalize does.
/// v2 and hybrid torrents (and v1 ones asked to) sort files into BEP 52 file-tree order: paths compared
/// component by component as raw bytes, so "a/x" precedes "a b". Every non-empty file then ends on a
/// piece boundary through a pad after it, the last file included ("tail padding"); the older layout
/// instead pads before each non-empty file that starts mid-piece, so the last file is never padded.
/// Plain v1 keeps the scan order and adds no pads; a lone file is never padded.
/// </summary>
internal static class TorrentLayout
{
    public static List<LayoutFile> Build(ScannedContent content, int pieceLength, CreateTorrentFlags flags)
    {
        bool v1Only = (flags & CreateTorrentFlags.V1Only) != 0;
        bool noTail = (flags & CreateTorrentFlags.CanonicalFilesNoTailPadding) != 0;
        // libtorrent leaves a file list of one file alone, so a lone file is never padded even inside a directory.
        bool canonical = content.Files.Count > 1
            && (!v1Only || (flags & (CreateTorrentFlags.CanonicalFiles | CreateTorrentFlags.CanonicalFilesNoTailPadding)) != 0);

        IEnumerable<ScannedFile> order = content.Files;
        if (canonical) order = content.Files.OrderBy(f => f.Path, PathOrder.Instance);

        var layout = new List<LayoutFile>(content.Files.Count * (canonical ? 2 : 1));
        long offset = 0;
        foreach (var f in order)
        {
            if (canonical && noTail && f.Size > 0) AddPad(layout, ref offset, pieceLength);
            layout.Add(new LayoutFile(f.Path, f.Size, offset, false, f.Executable, f.MTime, f.SourcePath));
            offset += f.Size;
            if (canonical && !noTail && f.Size > 0) AddPad(layout, ref offset, pieceLength);
        }
        return layout;
    }

    private static void AddPad(List<LayoutFile> layout, ref long offset, int pieceLength)
    {
        long misalign = offset % pieceLength;
        if (misalign == 0) return;
        long size = pieceLength - misalign;
        byte[][] path = [".pad"u8.ToArray(), Encoding.ASCII.GetBytes(size.ToString(CultureInfo.InvariantCulture))];
        layout.Add(new LayoutFile(path, size, offset, true, false, 0, null));
        offset += size;
    }

    /// <summary>The hashers' view of a layout: each entry's bytes on disk, pads as zeros.</summary>
    public static StorageSegment[] Segments(List<LayoutFile> layout)
    {
        var segments = new StorageSegment[layout.Count];
        for (int i = 0; i < layout.Count; i++)
            segments[i] = new StorageSegment(layout[i].IsPad ? null : layout[i].SourcePath, layout[i].Offset, layout[i].Size);
        return segments;
    }

    /// <summary>Component-wise raw byte order; a path that is a prefix of another sorts first.</summary>
    internal sealed class PathOrder : IComparer<byte[][]>
    {
        public static readonly PathOrder Instance = new();

        public int Compare(byte[][]? x, byte[][]? y)
        {
            x ??= []; y ??= [];
            int n = Math.Min(x.Length, y.Length);
            for (int i = 0; i < n; i++)
            {
                int c = x[i].AsSpan().SequenceCompareTo(y[i]);
                if (c != 0) return c;
            }
            return x.Length.CompareTo(y.Length);
        }
    }
}
