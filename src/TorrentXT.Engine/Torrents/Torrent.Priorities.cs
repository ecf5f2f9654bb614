// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Torrents;

/// <summary>File and piece priorities (0..7) and what they make "wanted".</summary>
public sealed partial class Torrent
{
    public const int DefaultPriority = 4;

    /// <summary>Sets one file's priority (clamped to 0..7). Before metadata it is remembered.</summary>
    public void SetFilePriority(int fileIndex, int priority)
    {
        priority = Math.Clamp(priority, 0, 7);
        lock (Sync)
        {
            if (Info is null) { _pendingFilePriorities.Add((fileIndex, priority)); return; }
            if (fileIndex >= _filePriorities.Length) return;
            _filePriorities[fileIndex] = (byte)priority;
            RecomputePiecePrioritiesLocked();
            OnWantedChangedLocked();
        }
        Session.ApplyFilePriorities(this);
    }

    /// <summary>Byte i is file i's priority; pad files are forced to 0 and files past the end reset to 4.</summary>
    public void SetFilePriorities(ReadOnlySpan<byte> priorities)
    {
        lock (Sync)
        {
            if (Info is null)
            {
                _pendingBulkPriorities = priorities.ToArray();
                _pendingFilePriorities.Clear();
                return;
            }
            ApplyBulkPrioritiesLocked(priorities, forcePadZero: true);
            RecomputePiecePrioritiesLocked();
            OnWantedChangedLocked();
        }
        Session.ApplyFilePriorities(this);
    }

    private void ApplyBulkPrioritiesLocked(ReadOnlySpan<byte> priorities, bool forcePadZero)
    {
        var files = Info!.Files.Files;
        for (int i = 0; i < _filePriorities.Length; i++)
        {
            byte p = i < priorities.Length ? (byte)Math.Min((int)priorities[i], 7) : (byte)DefaultPriority;
            if (forcePadZero && files[i].IsPad) p = 0;
            _filePriorities[i] = p;
        }
    }

    /// <summary>Sets one piece's priority; ignored without metadata, while seeding, or out of range.</summary>
    public void SetPiecePriority(int piece, int priority)
    {
        lock (Sync)
        {
            if (Info is null || piece >= _piecePriorities.Length || _state == TorrentState.Seeding) return;
            _piecePriorities[piece] = (byte)Math.Clamp(priority, 0, 7);
            RecountLocked();
            OnWantedChangedLocked();
        }
    }

    public byte[] FilePriorities() { lock (Sync) return (byte[])_filePriorities.Clone(); }
    public byte[] PiecePriorities() { lock (Sync) return (byte[])_piecePriorities.Clone(); }

    /// <summary>A piece takes the highest priority of the real (non-pad) files it overlaps.</summary>
    private void RecomputePiecePrioritiesLocked()
    {
        var fs = Info!.Files;
        if (_piecePriorities.Length != fs.NumPieces) _piecePriorities = new byte[fs.NumPieces];
        else Array.Clear(_piecePriorities);
        for (int f = 0; f < fs.Files.Count; f++)
        {
            var file = fs.Files[f];
            if (file.IsPad || file.Size == 0) continue;
            var (first, last) = fs.PieceRangeOfFile(f);
            byte p = _filePriorities[f];
            for (int piece = first; piece <= last; piece++)
                if (_piecePriorities[piece] < p) _piecePriorities[piece] = p;
        }
        RecountLocked();
    }

    // Byte totals kept incrementally, so a status call costs the same for 10 or 100,000 pieces.
    private long _wantedBytes, _doneBytes, _wantedDoneBytes;
    private int _wantedPiecesMissing;

    /// <summary>Recounts every total from scratch (after priority changes or clearing the bitfield).</summary>
    private void RecountLocked()
    {
        _wantedBytes = _doneBytes = _wantedDoneBytes = 0;
        _wantedPiecesMissing = 0;
        if (Info is null) return;
        for (int piece = 0; piece < _piecePriorities.Length; piece++)
        {
            long bytes = PayloadBytesOfPiece(piece);
            bool wanted = _piecePriorities[piece] > 0, have = _have![piece];
            if (wanted) _wantedBytes += bytes;
            if (have) _doneBytes += bytes;
            if (wanted && have) _wantedDoneBytes += bytes;
            if (wanted && !have) _wantedPiecesMissing++;
        }
    }

    /// <summary>Marks a piece present or missing and adjusts the totals.</summary>
    private void SetHaveLocked(int piece, bool has)
    {
        if (_have![piece] == has) return;
        _have.Set(piece, has);
        long bytes = PayloadBytesOfPiece(piece) * (has ? 1 : -1);
        _doneBytes += bytes;
        if (_piecePriorities[piece] == 0) return;
        _wantedDoneBytes += bytes;
        _wantedPiecesMissing -= has ? 1 : -1;
    }

    private void ClearHaveLocked()
    {
        _have!.Clear();
        RecountLocked();
    }

    private readonly List<Metainfo.FileSlice> _sliceScratch = new();
    private bool _hasPadFiles;

    /// <summary>The bytes of a piece that belong to real files (pad bytes excluded).</summary>
    private long PayloadBytesOfPiece(int piece)
    {
        var fs = Info!.Files;
        int size = fs.PieceSize(piece);
        if (!_hasPadFiles) return size;
        _sliceScratch.Clear();
        fs.MapRange((long)piece * fs.PieceLength, size, _sliceScratch);
        long n = 0;
        foreach (var s in _sliceScratch)
            if (!fs.Files[s.FileIndex].IsPad) n += s.Length;
        return n;
    }

    private bool AllWantedPresentLocked() => _wantedPiecesMissing == 0;

    /// <summary>After a priority change: a finished torrent may need to download again, or become finished.</summary>
    private void OnWantedChangedLocked()
    {
        if (_state is TorrentState.Downloading or TorrentState.Finished or TorrentState.Seeding)
            SettleDownloadStateLocked(announceFinished: true);
    }

    /// <summary>Moves between downloading, finished and seeding from what is present and wanted.</summary>
    private int _downloadsCompleted;

    /// <summary>
    /// How many times a download finished in this session (not a check that found the data
    /// complete). Trackers compare it with what they last saw to send 'completed' -- a count, not a
    /// state, so a download faster than their polling is not missed.
    /// </summary>
    internal int DownloadsCompleted { get { lock (Sync) return _downloadsCompleted; } }

    internal void SettleDownloadStateLocked(bool announceFinished)
    {
        var target = _have!.AllSet ? TorrentState.Seeding
            : AllWantedPresentLocked() ? TorrentState.Finished
            : TorrentState.Downloading;
        bool wasDone = _state is TorrentState.Finished or TorrentState.Seeding;
        SetStateLocked(target);
        bool isDone = target is TorrentState.Finished or TorrentState.Seeding;
        if (isDone && _completedTime == 0 && _have.Count > 0) _completedTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (isDone && !wasDone && announceFinished)
        {
            _downloadsCompleted++;
            Post(new Alerts.TorrentFinishedAlert(this));
        }
        Session.OnTorrentDoneChanged(this, isDone);
    }
}
