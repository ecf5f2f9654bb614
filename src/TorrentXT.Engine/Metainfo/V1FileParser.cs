// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// Reads a v1 file list ('files', or the single-file 'length' form) into a file storage, as
/// libtorrent's extract_files / extract_single_file do: 'path.utf-8' and 'name.utf-8' win over
/// 'path' and 'name', every component is sanitised, BEP 47 attributes are honoured.
/// </summary>
internal static class V1FileParser
{
    /// <summary>(file_size / 16 KiB) must stay below this: libtorrent's merkle arithmetic uses int block indices.</summary>
    public const long MaxBlocksPerFile = int.MaxValue / 2;

    public static void ExtractList(BValue list, FileStorageBuilder files, string rootDir)
    {
        foreach (var item in list.Items) Extract(item, files, rootDir, topLevel: false);
        SymlinkSanitizer.Sanitize(files);
    }

    /// <summary>
    /// One file. With <paramref name="topLevel"/> the dict is the info dict of a single-file torrent and
    /// the file name comes from 'name'; otherwise it is an entry of 'files' and the path from 'path'.
    /// </summary>
    public static void Extract(BValue dict, FileStorageBuilder files, string rootDir, bool topLevel)
    {
        // libtorrent gives up here without setting an error code; this reports the nearest one it has.
        if (!dict.IsDictionary) throw new MetainfoException(MetainfoErrors.FileParseFailed);

        var flags = dict.GetString("attr") is { } attr ? FileEntryData.ParseAttributes(attr.Bytes.Span) : FileFlags.None;
        // Symlinks take no payload space whatever their 'length' says.
        long size = (flags & FileFlags.Symlink) != 0 ? 0 : dict.GetInteger("length") ?? -1;
        CheckSize(size);
        long mtime = dict.GetInteger("mtime") ?? 0;

        var path = new StringBuilder(rootDir, rootDir.Length + 64);
        if (topLevel)
        {
            var name = dict.GetString("name.utf-8") ?? dict.GetString("name");
            if (name is null || name.Bytes.IsEmpty) throw new MetainfoException(MetainfoErrors.MissingName);
            PathSanitizer.AppendComponent(path, name.Bytes.Span);
            if (path.Length == 0) throw new MetainfoException(MetainfoErrors.MissingName);
        }
        else
        {
            var p = dict.GetList("path.utf-8") ?? dict.GetList("path");
            if (p is not null && p.Items.Count > 0)
            {
                RequireStrings(p);
                int before = path.Length;
                foreach (var e in p.Items) PathSanitizer.AppendComponent(path, e.Bytes.Span);
                // Every component was sanitised away: the file still needs a name of its own.
                if (path.Length == before) path.Append("/_");
            }
            else if ((flags & FileFlags.Pad) != 0)
            {
                // A pad file needs no path; libtorrent files it under .pad (without the torrent name).
                path.Clear().Append(".pad/").Append(size.ToString(CultureInfo.InvariantCulture));
            }
            else throw new MetainfoException(MetainfoErrors.MissingName);
        }

        string fullPath = path.ToString();
        // BitComet's pad files predate BEP 47 and are recognised by name.
        if (fullPath.Contains("_____padding_file_", StringComparison.Ordinal)) flags |= FileFlags.Pad;

        string symlinkPath = "";
        if ((flags & FileFlags.Symlink) != 0)
        {
            if (dict.GetList("symlink path") is { } sp)
            {
                RequireStrings(sp);
                var target = new StringBuilder();
                foreach (var e in sp.Items) PathSanitizer.AppendComponent(target, e.Bytes.Span);
                symlinkPath = target.ToString();
            }
            else flags &= ~FileFlags.Symlink; // 'symlink path' is mandatory; treat it as a plain file
        }

        files.AddFile(fullPath, size, flags, mtime, symlinkPath, root: null);
    }

    public static void CheckSize(long size)
    {
        if (size < 0 || size / MerkleRoot.BlockSize >= MaxBlocksPerFile || size > FileStorageBuilder.MaxFileOffset)
            throw new MetainfoException(MetainfoErrors.InvalidLength);
    }

    /// <summary>A path list with anything but strings is refused (libtorrent's path_length check).</summary>
    public static void RequireStrings(BValue list)
    {
        foreach (var e in list.Items)
            if (!e.IsString) throw new MetainfoException(MetainfoErrors.InvalidName);
    }
}
