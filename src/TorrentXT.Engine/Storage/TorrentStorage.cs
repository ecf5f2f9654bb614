// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Hashing;
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Storage;

/// <summary>
/// The files of one torrent under its save path, addressed by piece and offset. Block writes and
/// reads are positional and mapped over the files with <see cref="FileStorage.MapRange"/>:
/// <list type="bullet">
/// <item>files are created (with their directories) on their first write and grow only by what is
/// written: sparse, never pre-allocated, never truncated;</item>
/// <item>pad files are zeros that never exist on disk: reads return zeros, written pad bytes are
/// checked to be zero (a piece that carried anything else fails its check) and dropped;</item>
/// <item>a file at priority 0 that does not exist on disk is never created: its bytes (the edges of
/// pieces shared with wanted files) go to libtorrent's part file instead (<see cref="PartFile"/>),
/// where they can be checked and served, and from where <see cref="ApplyFilePriorities"/> moves
/// them into the file once it is wanted;</item>
/// <item>every path is resolved under the save path with <see cref="PathSanitizer.TryResolveUnder"/>,
/// so nothing is read or written outside it.</item>
/// </list>
/// Handles come from a <see cref="FileHandlePool"/> (shared by the session, or owned). Reads, writes
/// and checks may run on many threads at once; <see cref="ApplyFilePriorities"/>, <see cref="Flush"/>
/// and <see cref="Dispose"/> wait for them and run alone. Disk failures throw <see cref="StorageException"/>.
/// </summary>
public sealed partial class TorrentStorage : IBlockStorage, IDisposable
{
    /// <summary>The priority a file gets when the priorities passed in do not cover it (libtorrent's default).</summary>
    public const byte DefaultPriority = 4;

    [ThreadStatic] private static List<FileSlice>? t_slices;

    private readonly TorrentInfo _info;
    private readonly FileStorage _files;
    // Full path of each file; null for files with no bytes on disk (pads, BEP 47 symlinks).
    private readonly string?[] _paths;
    private readonly byte[] _priorities;
    // Files whose bytes go to the part file: priority 0 and absent from disk.
    private readonly bool[] _parked;
    private readonly FileHandlePool _pool;
    private readonly bool _ownsPool;
    private readonly PartFile _partFile;
    private readonly PieceSpace _space;
    private readonly PieceHashStreams _streams;
    // Shared by block I/O and checks; exclusive for priority changes, flush and dispose.
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private bool _disposed;

    /// <summary>
    /// Storage for <paramref name="info"/> under <paramref name="savePath"/>. Apart from adopting a
    /// part file an earlier run left (see <see cref="AdoptPartFile"/>), touches no file until
    /// data is written or read. <paramref name="filePool"/> is shared and not disposed here; without
    /// one the storage owns a pool of <see cref="FileHandlePool.DefaultCapacity"/> handles.
    /// <paramref name="filePriorities"/> gives one priority per file (missing entries are
    /// <see cref="DefaultPriority"/>). Throws <see cref="StorageException"/> (ResolvePath) when a file
    /// path would leave the save path.
    /// </summary>
    public TorrentStorage(TorrentInfo info, string savePath, FileHandlePool? filePool = null, ReadOnlySpan<byte> filePriorities = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentException.ThrowIfNullOrEmpty(savePath);
        _info = info;
        _files = info.Files;
        SavePath = Path.GetFullPath(savePath);
        int count = _files.Count;
        _paths = new string?[count];
        _priorities = new byte[count];
        _parked = new bool[count];
        var segments = new StorageSegment[count];
        for (int i = 0; i < count; i++)
        {
            var f = _files.Files[i];
            // BEP 47 symlinks carry no data of their own, like pads.
            if (!f.IsPad && !f.IsSymlink) _paths[i] = StoragePaths.Resolve(SavePath, f.Path, i);
            segments[i] = new StorageSegment(_paths[i], f.Offset, f.Size);
            _priorities[i] = i < filePriorities.Length ? filePriorities[i] : DefaultPriority;
            _parked[i] = _paths[i] is { } p && _priorities[i] == 0 && !File.Exists(p);
        }
        _space = new PieceSpace(segments, _files.PieceLength);
        _streams = new PieceHashStreams(_space, info.HasV1, info.HasV2);
        PartFilePath = StoragePaths.Resolve(SavePath, StoragePaths.PartFileName(info.InfoHashes));
        _partFile = new PartFile(PartFilePath, Math.Max(1, _files.NumPieces), _files.PieceLength);
        _ownsPool = filePool is null;
        _pool = filePool ?? new FileHandlePool();
        AdoptPartFile();
    }

    // A part file left by an earlier run (a restart from resume data) may hold the edges of files
    // that are wanted now but were at priority 0 then: they move into those files here, so nothing
    // verified is stranded. Only files absent from disk are filled, so no byte on disk is
    // overwritten. Costs one stat when there is no part file.
    private void AdoptPartFile()
    {
        if (!File.Exists(PartFilePath)) return;
        try
        {
            bool exported = false;
            for (int i = 0; i < _paths.Length; i++)
            {
                if (_paths[i] is not { } path || _parked[i] || _files.Files[i].Size == 0 || File.Exists(path)) continue;
                var (first, last) = _files.PieceRangeOfFile(i);
                bool held = false;
                for (int piece = first; piece <= last && !held; piece++) held = _partFile.HasPiece(piece);
                if (!held) continue;
                ExportFromPartFile(i, path);
                exported = true;
            }
            if (exported) ReleaseUnneededSlots();
        }
        catch (StorageException) { /* left in the part file; a recheck finds the piece missing in the file */ }
    }

    public TorrentInfo Info => _info;

    /// <summary>The save path, made absolute.</summary>
    public string SavePath { get; }

    /// <summary>Where the part file is (it exists only while it holds pieces).</summary>
    public string PartFilePath { get; }

    /// <summary>The full path of file <paramref name="fileIndex"/>, or null for a pad file or symlink (no bytes on disk).</summary>
    public string? FilePath(int fileIndex) => _paths[fileIndex];

    /// <summary>A copy of the current file priorities.</summary>
    public byte[] FilePriorities()
    {
        _lock.EnterReadLock();
        try { return (byte[])_priorities.Clone(); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>True when file <paramref name="fileIndex"/>'s bytes go to the part file.</summary>
    public bool UsesPartFile(int fileIndex)
    {
        _lock.EnterReadLock();
        try { return _parked[fileIndex]; }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Pieces with streaming hash state (blocks written, piece not checked yet).</summary>
    internal int StreamingPieces => _streams.ActiveCount;

    internal FileHandlePool Pool => _pool;

    /// <summary>
    /// Writes bytes [<paramref name="offset"/>, offset + length) of <paramref name="piece"/>, creating
    /// files and directories as needed, and feeds the piece's streaming hash.
    /// </summary>
    public void WriteBlock(int piece, int offset, ReadOnlySpan<byte> data)
    {
        long start = CheckBlock(piece, offset, data.Length);
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            bool padViolation = false;
            int pos = 0;
            foreach (var slice in Slices(start, data.Length))
            {
                var part = data.Slice(pos, slice.Length);
                string? path = _paths[slice.FileIndex];
                if (path is null) padViolation |= part.ContainsAnyExcept((byte)0);
                else if (_parked[slice.FileIndex]) _partFile.Write(piece, offset + pos, part);
                else WriteFile(slice.FileIndex, path, slice.FileOffset, part);
                pos += slice.Length;
            }
            // Only bytes that reached the disk may count towards the piece's hash.
            _streams.OnWritten(piece, offset, data, padViolation);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// Reads bytes of <paramref name="piece"/> from <paramref name="offset"/> (pad bytes are zeros).
    /// Throws <see cref="StorageException"/> when they are not on disk: a missing file (ENOENT), a
    /// file that ends early (error code 0, "End of file"), or a piece absent from the part file.
    /// </summary>
    public void ReadBlock(int piece, int offset, Span<byte> destination)
    {
        CheckBlock(piece, offset, destination.Length);
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ReadLocked(piece, offset, destination, lenient: false);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Creates the zero-length files that are wanted (they never receive a write). Existing files are left alone.</summary>
    public void CreateEmptyFiles()
    {
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (int i = 0; i < _paths.Length; i++)
            {
                if (_paths[i] is not { } path || _files.Files[i].Size != 0 || _priorities[i] == 0 || File.Exists(path)) continue;
                FileOpener.Open(path, write: true, i).Dispose();
            }
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// Makes everything written so far durable (fsync of every file written and of the part file)
    /// and closes this torrent's handles; they reopen on the next use. Waits for running I/O.
    /// </summary>
    public void Flush()
    {
        _lock.EnterWriteLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try { _pool.CloseAll(this, flushToDisk: true, PathOf); }
            finally { _partFile.Close(flush: true); }
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Closes every handle of this torrent (without fsync; call <see cref="Flush"/> for durability).</summary>
    public void Dispose()
    {
        _lock.EnterWriteLock();
        try
        {
            if (_disposed) return;
            _disposed = true;
            _pool.CloseAll(this, flushToDisk: false, PathOf);
            _partFile.Close(flush: false);
            if (_ownsPool) _pool.Dispose();
        }
        finally { _lock.ExitWriteLock(); }
    }

    private string PathOf(int fileIndex) => _paths[fileIndex] ?? "";

    private long CheckBlock(int piece, int offset, int length)
    {
        if ((uint)piece >= (uint)_files.NumPieces) throw new ArgumentOutOfRangeException(nameof(piece));
        if (offset < 0 || (long)offset + length > _files.PieceSize(piece))
            throw new ArgumentOutOfRangeException(nameof(offset), "the block does not lie within the piece");
        return _files.PieceOffset(piece) + offset;
    }

    // One list per thread: MapRange appends into a caller's list, and blocks are mapped on every I/O.
    private List<FileSlice> Slices(long start, int length)
    {
        var list = t_slices ??= new List<FileSlice>(8);
        list.Clear();
        _files.MapRange(start, length, list);
        return list;
    }

    // With lenient, data that is simply not there (missing file, short file, piece not in the part
    // file) reads as zeros and the result is false; real failures still throw.
    private bool ReadLocked(int piece, int offset, Span<byte> destination, bool lenient)
    {
        bool complete = true;
        int pos = 0;
        foreach (var slice in Slices(_files.PieceOffset(piece) + offset, destination.Length))
        {
            var part = destination.Slice(pos, slice.Length);
            string? path = _paths[slice.FileIndex];
            if (path is null) part.Clear();
            else if (_parked[slice.FileIndex])
            {
                if (!_partFile.Read(piece, offset + pos, part))
                {
                    if (!lenient)
                        throw new StorageException(PartFilePath, StorageOperation.Read, OsErrors.ENOENT, OsErrors.Text(OsErrors.ENOENT))
                        {
                            FileIndex = slice.FileIndex,
                        };
                    part.Clear();
                    complete = false;
                }
            }
            else complete &= ReadFile(slice.FileIndex, path, slice.FileOffset, part, lenient);
            pos += slice.Length;
        }
        return complete;
    }

    private bool ReadFile(int fileIndex, string path, long fileOffset, Span<byte> part, bool lenient)
    {
        FileHandlePool.Lease lease;
        try { lease = _pool.Acquire(this, fileIndex, path, write: false); }
        catch (StorageException e) when (lenient && e.ErrorCode == OsErrors.ENOENT)
        {
            part.Clear();
            return false;
        }
        using (lease)
        {
            int done = 0;
            try
            {
                while (done < part.Length)
                {
                    int n = RandomAccess.Read(lease.Handle, part[done..], fileOffset + done);
                    if (n == 0) break;
                    done += n;
                }
            }
            catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, path, StorageOperation.Read, fileIndex); }
            if (done == part.Length) return true;
            if (!lenient) throw new StorageException(path, StorageOperation.Read, 0, OsErrors.EndOfFile) { FileIndex = fileIndex };
            part[done..].Clear();
            return false;
        }
    }

    private void WriteFile(int fileIndex, string path, long fileOffset, ReadOnlySpan<byte> data)
    {
        using var lease = _pool.Acquire(this, fileIndex, path, write: true);
        try { RandomAccess.Write(lease.Handle, data, fileOffset); }
        catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, path, StorageOperation.Write, fileIndex); }
    }
}
