// SPDX-License-Identifier: MIT
using System.Buffers;

namespace TorrentXT.Engine.Storage;

public sealed partial class TorrentStorage
{
    /// <summary>
    /// Applies new file priorities (one per file; missing entries are <see cref="DefaultPriority"/>).
    /// A file that leaves priority 0 gets the bytes the part file holds for it moved into the real
    /// file (created now); part-file slots no longer needed by any priority-0 file are freed, and the
    /// part file is deleted once empty. A file that drops to priority 0 keeps what it has on disk (as
    /// in libtorrent, nothing is moved into the part file); only a file that does not exist yet is
    /// routed to the part file from now on. Waits for running I/O. Throws <see cref="StorageException"/>.
    /// </summary>
    public void ApplyFilePriorities(ReadOnlySpan<byte> priorities)
    {
        _lock.EnterWriteLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            bool exported = false;
            for (int i = 0; i < _priorities.Length; i++)
            {
                byte p = i < priorities.Length ? priorities[i] : DefaultPriority;
                if (_paths[i] is { } path)
                {
                    if (_parked[i] && p > 0)
                    {
                        ExportFromPartFile(i, path);
                        _parked[i] = false;
                        exported = true;
                    }
                    else if (!_parked[i] && p == 0 && !File.Exists(path)) _parked[i] = true;
                }
                _priorities[i] = p;
            }
            if (exported) ReleaseUnneededSlots();
        }
        finally { _lock.ExitWriteLock(); }
    }

    // Copies file i's share of every piece the part file holds into the file itself.
    private void ExportFromPartFile(int fileIndex, string path)
    {
        var file = _files.Files[fileIndex];
        var (first, last) = _files.PieceRangeOfFile(fileIndex);
        if (first > last || _partFile.PieceCount == 0) return;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(_files.PieceLength);
        try
        {
            for (int piece = first; piece <= last; piece++)
            {
                if (!_partFile.HasPiece(piece)) continue;
                long pieceStart = _files.PieceOffset(piece);
                long from = Math.Max(file.Offset, pieceStart);
                long to = Math.Min(file.Offset + file.Size, pieceStart + _files.PieceSize(piece));
                var span = buffer.AsSpan(0, (int)(to - from));
                _partFile.Read(piece, (int)(from - pieceStart), span);
                WriteFile(fileIndex, path, from - file.Offset, span);
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    // A slot stays while some priority-0 file still has bytes in its piece.
    private void ReleaseUnneededSlots()
    {
        foreach (int piece in _partFile.Pieces())
        {
            bool needed = false;
            foreach (var slice in Slices(_files.PieceOffset(piece), _files.PieceSize(piece)))
            {
                if (!_parked[slice.FileIndex]) continue;
                needed = true;
                break;
            }
            if (!needed) _partFile.Free(piece);
        }
        _partFile.DeleteIfEmpty();
    }
}
