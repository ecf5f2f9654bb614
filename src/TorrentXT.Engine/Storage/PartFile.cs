// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace TorrentXT.Engine.Storage;

/// <summary>
/// libtorrent's part file (<c>.&lt;info-hash&gt;.parts</c> in the save path): where the bytes of
/// files at priority 0 go, so a piece shared with a wanted file can still be completed, checked
/// and served. The layout is libtorrent 2.0's (part_file.cpp), so either client reads the other's:
/// <code>
///   uint32 num_pieces          big endian, like every value
///   uint32 piece_size          the torrent's piece length: one slot per piece
///   int32  slot[num_pieces]    where piece i lives, -1 when it is not in the file
///   zero padding               the header is rounded up to a multiple of 1024 bytes
///   slot k                     at header_size + k * piece_size; bytes at their offset within the piece
/// </code>
/// The file is sparse: only the bytes written exist, so a slot holding one file's tail of a piece
/// uses just that much disk. A header for another piece count or size is treated as empty and
/// rewritten, as libtorrent does. Slot map entries are written right after the slot's data, so a
/// crash loses at most the piece being written. Thread-safe for concurrent reads and writes;
/// <see cref="Close"/>, <see cref="Free"/> and <see cref="DeleteIfEmpty"/> need exclusive use.
/// </summary>
internal sealed class PartFile
{
    private const FileShare Share = FileShare.ReadWrite | FileShare.Delete;

    private readonly object _gate = new();
    private readonly int _numPieces;
    private readonly int _pieceLength;
    private int[]? _slotOf;
    // Free slots below the high-water mark, reused first-in first-out like libtorrent.
    private readonly Queue<int> _free = new();
    private int _allocated;
    private int _pieces;
    private bool _headerOnDisk;
    private SafeFileHandle? _readOnly;
    private SafeFileHandle? _readWrite;

    public PartFile(string path, int numPieces, int pieceLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numPieces, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pieceLength, 1);
        FilePath = path;
        _numPieces = numPieces;
        _pieceLength = pieceLength;
        HeaderSize = HeaderSizeFor(numPieces);
    }

    public string FilePath { get; }

    public int HeaderSize { get; }

    /// <summary>(2 + pieces) 32-bit words rounded up to a whole KiB.</summary>
    public static int HeaderSizeFor(int numPieces) => checked(((2 + numPieces) * 4 + 1023) & ~1023);

    /// <summary>Pieces that have a slot.</summary>
    public int PieceCount
    {
        get { lock (_gate) { EnsureLoaded(); return _pieces; } }
    }

    public bool HasPiece(int piece)
    {
        lock (_gate)
        {
            EnsureLoaded();
            return _slotOf![piece] >= 0;
        }
    }

    /// <summary>The pieces that have a slot, ascending.</summary>
    public List<int> Pieces()
    {
        lock (_gate)
        {
            EnsureLoaded();
            var list = new List<int>(_pieces);
            for (int i = 0; i < _slotOf!.Length; i++)
                if (_slotOf[i] >= 0) list.Add(i);
            return list;
        }
    }

    /// <summary>Writes bytes of <paramref name="piece"/> at their offset within the piece, giving the piece a slot if it has none.</summary>
    public void Write(int piece, int offsetInPiece, ReadOnlySpan<byte> data)
    {
        CheckRange(piece, offsetInPiece, data.Length);
        int slot;
        bool fresh;
        SafeFileHandle handle;
        lock (_gate)
        {
            EnsureLoaded();
            handle = EnsureWritable();
            slot = _slotOf![piece];
            fresh = slot < 0;
            if (fresh) slot = Allocate(piece);
        }
        try
        {
            RandomAccess.Write(handle, data, SlotOffset(slot) + offsetInPiece);
            if (fresh) WriteMapEntry(handle, piece, slot);
        }
        catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, FilePath, StorageOperation.Write); }
    }

    /// <summary>
    /// Reads bytes of <paramref name="piece"/> from its slot; bytes never written read as zeros.
    /// False (and <paramref name="destination"/> untouched) when the piece has no slot.
    /// </summary>
    public bool Read(int piece, int offsetInPiece, Span<byte> destination)
    {
        CheckRange(piece, offsetInPiece, destination.Length);
        int slot;
        SafeFileHandle handle;
        lock (_gate)
        {
            EnsureLoaded();
            slot = _slotOf![piece];
            if (slot < 0) return false;
            handle = EnsureReadable();
        }
        try
        {
            long at = SlotOffset(slot) + offsetInPiece;
            int done = 0;
            while (done < destination.Length)
            {
                int n = RandomAccess.Read(handle, destination[done..], at + done);
                if (n == 0) break;
                done += n;
            }
            // The file ends at the last byte written: what lies beyond is a hole.
            destination[done..].Clear();
            return true;
        }
        catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, FilePath, StorageOperation.Read); }
    }

    /// <summary>Gives up the slot of <paramref name="piece"/> (its bytes stay on disk until the slot is reused).</summary>
    public void Free(int piece)
    {
        lock (_gate)
        {
            EnsureLoaded();
            int slot = _slotOf![piece];
            if (slot < 0) return;
            var handle = EnsureWritable();
            try { WriteMapEntry(handle, piece, -1); }
            catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, FilePath, StorageOperation.Write); }
            _slotOf[piece] = -1;
            _free.Enqueue(slot);
            _pieces--;
        }
    }

    /// <summary>Removes the file once no piece is left in it (libtorrent does the same).</summary>
    public void DeleteIfEmpty()
    {
        lock (_gate)
        {
            EnsureLoaded();
            if (_pieces > 0) return;
            CloseLocked(flush: false);
            try { File.Delete(FilePath); }
            catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, FilePath, StorageOperation.Delete); }
            _headerOnDisk = false;
            _free.Clear();
            _allocated = 0;
        }
    }

    /// <summary>Closes the file (with <paramref name="flush"/>, after making it durable). It reopens on the next use.</summary>
    public void Close(bool flush)
    {
        lock (_gate) CloseLocked(flush);
    }

    private void CloseLocked(bool flush)
    {
        try
        {
            if (flush && _readWrite is not null) RandomAccess.FlushToDisk(_readWrite);
        }
        catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, FilePath, StorageOperation.Flush); }
        finally
        {
            _readWrite?.Dispose();
            _readOnly?.Dispose();
            _readWrite = null;
            _readOnly = null;
        }
    }

    private long SlotOffset(int slot) => HeaderSize + (long)slot * _pieceLength;

    private void CheckRange(int piece, int offset, int length)
    {
        if ((uint)piece >= (uint)_numPieces) throw new ArgumentOutOfRangeException(nameof(piece));
        if (offset < 0 || length < 0 || (long)offset + length > _pieceLength) throw new ArgumentOutOfRangeException(nameof(offset));
    }

    private int Allocate(int piece)
    {
        int slot = _free.Count > 0 ? _free.Dequeue() : _allocated++;
        _slotOf![piece] = slot;
        _pieces++;
        return slot;
    }

    // After Close (a flush when the download finished) the slot map stays loaded but the handles
    // are gone: reading a piece later (a file leaving priority 0) opens the file again.
    private SafeFileHandle EnsureReadable()
    {
        if (_readWrite is not null) return _readWrite;
        try { return _readOnly ??= File.OpenHandle(FilePath, FileMode.Open, FileAccess.Read, Share); }
        catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, FilePath, StorageOperation.Read); }
    }

    private void WriteMapEntry(SafeFileHandle handle, int piece, int slot)
    {
        Span<byte> entry = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(entry, slot);
        RandomAccess.Write(handle, entry, 8 + 4L * piece);
    }

    // Reads the slot map the first time the part file is needed.
    private void EnsureLoaded()
    {
        if (_slotOf is not null) return;
        var map = new int[_numPieces];
        map.AsSpan().Fill(-1);
        if (File.Exists(FilePath))
        {
            try
            {
                _readOnly = File.OpenHandle(FilePath, FileMode.Open, FileAccess.Read, Share);
                _headerOnDisk = ParseHeader(_readOnly, map);
            }
            catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, FilePath, StorageOperation.Read); }
            if (!_headerOnDisk) map.AsSpan().Fill(-1);
        }
        var used = new bool[_numPieces];
        for (int p = 0; p < map.Length; p++)
        {
            int s = map[p];
            if (s < 0) continue;
            if (s >= _numPieces || used[s]) { map[p] = -1; continue; } // corrupt entry: ignore it
            used[s] = true;
            _allocated = Math.Max(_allocated, s + 1);
            _pieces++;
        }
        for (int s = 0; s < _allocated; s++)
            if (!used[s]) _free.Enqueue(s);
        _slotOf = map;
    }

    private bool ParseHeader(SafeFileHandle handle, int[] map)
    {
        var header = new byte[HeaderSize];
        int got = 0;
        while (got < header.Length)
        {
            int n = RandomAccess.Read(handle, header.AsSpan(got), got);
            if (n == 0) return false; // shorter than a header: empty
            got += n;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(header) != (uint)_numPieces
            || BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)) != (uint)_pieceLength) return false;
        for (int p = 0; p < _numPieces; p++) map[p] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8 + 4 * p));
        return true;
    }

    private SafeFileHandle EnsureWritable()
    {
        if (_readWrite is null)
        {
            try
            {
                // The part file sits in the save path, which may not exist before the first write.
                Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
                _readWrite = File.OpenHandle(FilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, Share);
            }
            catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, FilePath, StorageOperation.Open); }
            // The read-only handle may be in use by a reader right now; it is closed with the file.
        }
        if (!_headerOnDisk)
        {
            try { RandomAccess.Write(_readWrite, BuildHeader(), 0); }
            catch (Exception e) when (OsErrors.IsIoFailure(e)) { throw OsErrors.ToStorage(e, FilePath, StorageOperation.Write); }
            _headerOnDisk = true;
        }
        return _readWrite;
    }

    private byte[] BuildHeader()
    {
        var header = new byte[HeaderSize];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)_numPieces);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)_pieceLength);
        for (int p = 0; p < _numPieces; p++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8 + 4 * p), _slotOf![p]);
        return header;
    }
}
