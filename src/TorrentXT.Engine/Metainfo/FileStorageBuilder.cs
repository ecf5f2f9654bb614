// SPDX-License-Identifier: MIT
using System.Globalization;

namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// Assembles a file list the way libtorrent 2.0.8's file_storage::add_file does: the torrent name
/// comes from the first file, v1 and v2 files may not be mixed, and once a file with a pieces root
/// (a v2 file) has been added, every non-empty file is followed by a pad file up to the next piece
/// boundary, the last one included (2.0.8 "tail padding").
/// </summary>
internal sealed class FileStorageBuilder
{
    /// <summary>file_storage::max_file_size and max_file_offset: offsets are 48-bit.</summary>
    public const long MaxFileOffset = (1L << 48) - 1;
    private const int MaxFileNameLength = 1 << 12;

    /// <summary>
    /// Cap on the characters of all file paths together. libtorrent shares directory strings and has
    /// no such cap, but every <see cref="TorrentFile"/> here carries its full path, and a tree of deep
    /// 240-byte directory names over many files could otherwise expand a 10 MB torrent into gigabytes.
    /// Real torrents stay far below it (100,000 files of 300 characters is 30 million).
    /// </summary>
    public const long MaxTotalPathChars = 64L * 1024 * 1024;

    private readonly HashSet<string> _pathSet = new(StringComparer.Ordinal);
    private long _pathChars;

    public FileStorageBuilder(int pieceLength) => PieceLength = pieceLength;

    public int PieceLength { get; }
    public string Name { get; private set; } = "";
    public List<FileEntryData> Files { get; } = new();
    /// <summary>Every distinct branch path (relative to the name), in first-use order (m_paths).</summary>
    public List<string> Paths { get; } = new();
    public List<string> Symlinks { get; } = new();
    public long TotalSize { get; private set; }
    public bool V2 { get; private set; }
    public int Count => Files.Count;

    public void AddFile(string path, long size, FileFlags flags, long mtime, string symlinkPath, byte[]? root)
    {
        _pathChars += path.Length + symlinkPath.Length;
        if (_pathChars > MaxTotalPathChars) throw new MetainfoException(MetainfoErrors.MetadataTooLarge);
        if (size > MaxFileOffset) throw new MetainfoException(MetainfoErrors.FileTooLarge);
        if (MaxFileOffset - TotalSize < size) throw new MetainfoException(MetainfoErrors.InvalidLength);
        if (PathSplit.Right(path).Leaf.Length >= MaxFileNameLength) throw new MetainfoException(MetainfoErrors.FileNameTooLong);

        if (!PathSplit.HasParent(path)) Name = path;
        else if (Files.Count == 0) Name = PathSplit.Left(path).First;

        // Empty files and symlinks fit either kind of torrent; the first real file decides.
        if (symlinkPath.Length == 0 && size > 0)
        {
            bool v2 = root is not null;
            if (Files.Count == Symlinks.Count || TotalSize == 0) V2 = v2;
            else if (V2 != v2)
                throw new MetainfoException(V2 ? MetainfoErrors.MissingPiecesRoot : MetainfoErrors.InconsistentFiles);
        }

        var e = new FileEntryData { Size = size, Offset = TotalSize, Flags = flags, Root = root, Mtime = mtime };
        SetPath(e, path);
        if (symlinkPath.Length > 0)
        {
            e.SymlinkIndex = Symlinks.Count;
            Symlinks.Add(symlinkPath);
        }
        else e.Flags &= ~FileFlags.Symlink;
        Files.Add(e);
        TotalSize += size;

        if (V2 && TotalSize % PieceLength != 0)
        {
            long pad = PieceLength - TotalSize % PieceLength;
            if (TotalSize > MaxFileOffset - pad) throw new MetainfoException(MetainfoErrors.InvalidLength);
            AddPad(pad);
        }
    }

    private void AddPad(long size)
    {
        AddPath(".pad");
        Files.Add(new FileEntryData
        {
            Size = size, Offset = TotalSize, Flags = FileFlags.Pad, Kind = PathKind.UnderName, Branch = ".pad",
            FileName = size.ToString(CultureInfo.InvariantCulture),
        });
        TotalSize += size;
    }

    /// <summary>Moves a file to a new full path (libtorrent's rename_file / update_path_index).</summary>
    public void Rename(int index, string path) => SetPath(Files[index], path);

    private void SetPath(FileEntryData e, string path)
    {
        var (branch, leaf) = PathSplit.Right(path);
        e.FileName = leaf;
        if (branch.Length == 0)
        {
            e.Kind = PathKind.NoPath;
            e.Branch = "";
            return;
        }
        var (first, rest) = PathSplit.Left(branch);
        if (first == Name)
        {
            e.Kind = PathKind.UnderName;
            e.Branch = rest.TrimStart('/');
        }
        else
        {
            e.Kind = PathKind.NoRootDir;
            e.Branch = branch;
        }
        e.Branch = AddPath(e.Branch);
    }

    /// <summary>Records a branch path once and returns the shared instance, so files in one directory share it.</summary>
    private string AddPath(string branch)
    {
        if (_pathSet.TryGetValue(branch, out var existing)) return existing;
        _pathSet.Add(branch);
        Paths.Add(branch);
        return branch;
    }

    public bool HasPath(string branch) => _pathSet.Contains(branch);

    /// <summary>libtorrent's file_path(i): the path relative to the save path.</summary>
    public string FilePath(int i)
    {
        var e = Files[i];
        return e.Kind switch
        {
            PathKind.NoPath => e.FileName,
            PathKind.NoRootDir => PathSplit.Combine(e.Branch, e.FileName),
            _ => PathSplit.Combine(PathSplit.Combine(Name, e.Branch), e.FileName),
        };
    }

    /// <summary>libtorrent's internal_file_path(i): the path relative to the torrent's own directory.</summary>
    public string InternalFilePath(int i)
    {
        var e = Files[i];
        return e.Kind == PathKind.NoPath ? e.FileName : PathSplit.Combine(e.Branch, e.FileName);
    }

    /// <summary>The symlink target of entry i relative to the save path (file_storage::symlink).</summary>
    public string? SymlinkTarget(int i)
    {
        var e = Files[i];
        return e.SymlinkIndex < 0 ? null : PathSplit.Combine(Name, Symlinks[e.SymlinkIndex]);
    }

    /// <summary>
    /// Drops a trailing pad file (skipping empty files after it), so a hybrid torrent made by
    /// libtorrent 2.0.0-2.0.7, whose v1 list has no tail pad, still matches its v2 file tree.
    /// </summary>
    public void RemoveTailPadding()
    {
        for (int f = Files.Count - 1; f >= 0; f--)
        {
            if (Files[f].Size == 0) continue;
            if (Files[f].IsPad)
            {
                TotalSize -= Files[f].Size;
                Files.RemoveAt(f);
                for (int k = f; k < Files.Count; k++) Files[k].Offset = TotalSize;
            }
            return;
        }
    }

    /// <summary>
    /// libtorrent's aux::files_compatible: same count, total and piece length, and at every index
    /// either both entries are irrelevant (pad or empty) or both have the same path, size and offset.
    /// </summary>
    public static bool Compatible(FileStorageBuilder a, FileStorageBuilder b)
    {
        if (a.Count != b.Count || a.TotalSize != b.TotalSize || a.PieceLength != b.PieceLength) return false;
        for (int i = 0; i < a.Count; i++)
        {
            var x = a.Files[i];
            var y = b.Files[i];
            bool xr = !x.IsPad && x.Size > 0, yr = !y.IsPad && y.Size > 0;
            if (xr != yr) return false;
            if (!xr) continue;
            if (x.Size != y.Size || x.Offset != y.Offset || a.FilePath(i) != b.FilePath(i)) return false;
            if ((x.Flags & FileFlags.Symlink) != 0 && a.SymlinkTarget(i) != b.SymlinkTarget(i)) return false;
        }
        return true;
    }
}
