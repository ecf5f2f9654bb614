// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>How an entry's path relates to the torrent name (libtorrent's path_index cases).</summary>
internal enum PathKind
{
    /// <summary>A single-file torrent's file: the path is just the file name.</summary>
    NoPath,
    /// <summary>name/branch/filename.</summary>
    UnderName,
    /// <summary>branch/filename, where branch does not start with the name (only after a rename).</summary>
    NoRootDir,
}

[Flags]
internal enum FileFlags
{
    None = 0,
    Pad = 1,
    Hidden = 2,
    Executable = 4,
    Symlink = 8,
}

/// <summary>One mutable file entry while a file storage is being assembled.</summary>
internal sealed class FileEntryData
{
    public string FileName = "";
    public string Branch = "";
    public PathKind Kind;
    public long Size;
    public long Offset;
    public FileFlags Flags;
    public byte[]? Root;
    public long Mtime;
    public int SymlinkIndex = -1;

    public bool IsPad => (Flags & FileFlags.Pad) != 0;

    /// <summary>BEP 47 attribute letters in the order libtorrent writes them.</summary>
    public string Attributes
    {
        get
        {
            if (Flags == FileFlags.None) return "";
            Span<char> buf = stackalloc char[4];
            int n = 0;
            if ((Flags & FileFlags.Pad) != 0) buf[n++] = 'p';
            if ((Flags & FileFlags.Hidden) != 0) buf[n++] = 'h';
            if ((Flags & FileFlags.Executable) != 0) buf[n++] = 'x';
            if ((Flags & FileFlags.Symlink) != 0) buf[n++] = 'l';
            return new string(buf[..n]);
        }
    }

    /// <summary>Parses a BEP 47 'attr' string; unknown letters are ignored.</summary>
    public static FileFlags ParseAttributes(ReadOnlySpan<byte> attr)
    {
        var f = FileFlags.None;
        foreach (byte c in attr)
            f |= c switch
            {
                (byte)'l' => FileFlags.Symlink,
                (byte)'x' => FileFlags.Executable,
                (byte)'h' => FileFlags.Hidden,
                (byte)'p' => FileFlags.Pad,
                _ => FileFlags.None,
            };
        return f;
    }
}
