// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// Walks a BEP 52 'file tree' depth first in the dictionary's own (sorted) order, as libtorrent's
/// extract_files2 does. A node whose only key is "" is a file; anything else is a directory.
/// </summary>
internal static class V2FileTreeParser
{
    private const int MaxDirectoryDepth = 100;

    public static void Extract(BValue tree, FileStorageBuilder files, string rootDir, bool hasFiles, int depth)
    {
        if (!tree.IsDictionary || depth > MaxDirectoryDepth) throw new MetainfoException(MetainfoErrors.FileParseFailed);

        foreach (var (key, node) in tree.Entries)
        {
            if (!node.IsDictionary || key.IsEmpty) throw new MetainfoException(MetainfoErrors.FileParseFailed);
            var name = key.Span;
            while (!name.IsEmpty && name[0] == (byte)'/') name = name[1..];

            bool leaf = node.Entries.Count == 1 && node.Entries[0].Key.IsEmpty;
            // A lone file at the top of a tree, with no v1 'files' list beside it, is a single-file torrent.
            bool singleFile = leaf && !hasFiles && tree.Entries.Count == 1;
            var path = new StringBuilder(singleFile ? "" : rootDir);
            PathSanitizer.AppendComponent(path, name);

            if (leaf) ExtractFile(node.Entries[0].Value, files, path.ToString());
            else Extract(node, files, path.ToString(), hasFiles: true, depth + 1);
        }
    }

    private static void ExtractFile(BValue dict, FileStorageBuilder files, string path)
    {
        if (!dict.IsDictionary) throw new MetainfoException(MetainfoErrors.FileParseFailed);
        var flags = dict.GetString("attr") is { } attr ? FileEntryData.ParseAttributes(attr.Bytes.Span) : FileFlags.None;
        // v2 pads are implied by the layout; a tree that declares one is malformed.
        if ((flags & FileFlags.Pad) != 0) throw new MetainfoException(MetainfoErrors.InvalidPadFile);

        long size = (flags & FileFlags.Symlink) != 0 ? 0 : dict.GetInteger("length") ?? -1;
        V1FileParser.CheckSize(size);
        long mtime = dict.GetInteger("mtime") ?? 0;

        string symlinkPath = "";
        if ((flags & FileFlags.Symlink) != 0 && dict.GetList("symlink path") is { } sp)
        {
            V1FileParser.RequireStrings(sp);
            var target = new StringBuilder();
            foreach (var e in sp.Items) PathSanitizer.AppendComponent(target, e.Bytes.Span);
            symlinkPath = target.ToString();
        }

        byte[]? root = null;
        if (symlinkPath.Length == 0 && size > 0)
        {
            var r = dict.GetString("pieces root");
            if (r is null || r.Bytes.Length != MerkleRoot.HashSize || !r.Bytes.Span.ContainsAnyExcept((byte)0))
                throw new MetainfoException(MetainfoErrors.MissingPiecesRoot);
            root = r.Bytes.ToArray();
        }
        files.AddFile(path, size, flags, mtime, symlinkPath, root);
    }
}
