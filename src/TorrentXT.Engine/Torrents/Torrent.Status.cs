// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Torrents;

/// <summary>Read-only views: the status snapshot, the file list, the have-bitfield.</summary>
public sealed partial class Torrent
{
    public TorrentStatus GetStatus()
    {
        lock (Sync)
        {
            var fs = Info?.Files;
            long wanted = _wantedBytes, done = _doneBytes, wantedDone = _wantedDoneBytes;
            float progress = _state switch
            {
                TorrentState.CheckingFiles or TorrentState.CheckingResumeData => _checkProgress,
                TorrentState.DownloadingMetadata => 0f,
                _ when Info is null => 0f,
                _ when wanted == 0 => 1f,
                _ => (float)((double)wantedDone / wanted),
            };
            bool seeding = _have is not null && _have.AllSet && _have.Length > 0;
            bool finished = Info is not null && _have is not null && AllWantedPresentLocked()
                            && _state is not (TorrentState.CheckingFiles or TorrentState.CheckingResumeData);
            return new TorrentStatus
            {
                Name = DisplayName,
                State = _state,
                Progress = progress,
                TotalDone = done,
                TotalWanted = wanted,
                SavePath = SavePath,
                InfoHashes = InfoHashes,
                IsFinished = finished,
                IsSeeding = seeding && _state == TorrentState.Seeding,
                IsPaused = (_flags & TorrentFlags.Paused) != 0,
                Error = _error,
                AddedTime = AddedTime,
                CompletedTime = _completedTime,
                Flags = _flags & TorrentFlags.StatusVisible,
                HasMetadata = Info is not null,
                NumPieces = fs?.NumPieces ?? 0,
                PieceLength = fs?.PieceLength ?? 0,
                TotalSize = fs?.TotalSize ?? 0,
                NumPeers = _numPeers,
                NumSeeds = _numSeeds,
                NumConnections = _numConnections,
                DownloadRate = _downloadRate,
                UploadRate = _uploadRate,
                AllTimeDownload = _allTimeDownload,
                AllTimeUpload = _allTimeUpload,
                NumComplete = _numComplete,
                NumIncomplete = _numIncomplete,
            };
        }
    }

    /// <summary>Every file (pad files included) with its verified bytes and priority; empty before metadata.</summary>
    public IReadOnlyList<FileStatus> FileList()
    {
        lock (Sync)
        {
            if (Info is null) return Array.Empty<FileStatus>();
            var fs = Info.Files;
            var result = new FileStatus[fs.Files.Count];
            for (int f = 0; f < result.Length; f++)
            {
                var file = fs.Files[f];
                result[f] = new FileStatus(file.Path, file.Size, FileBytesDoneLocked(f), _filePriorities[f], file.IsPad);
            }
            return result;
        }
    }

    private long FileBytesDoneLocked(int fileIndex)
    {
        var fs = Info!.Files;
        var file = fs.Files[fileIndex];
        if (file.Size == 0) return 0;
        var (first, last) = fs.PieceRangeOfFile(fileIndex);
        long done = 0;
        long fileStart = file.Offset, fileEnd = file.Offset + file.Size;
        for (int piece = first; piece <= last; piece++)
        {
            if (!_have![piece]) continue;
            long pieceStart = (long)piece * fs.PieceLength;
            long pieceEnd = pieceStart + fs.PieceSize(piece);
            done += Math.Min(pieceEnd, fileEnd) - Math.Max(pieceStart, fileStart);
        }
        return done;
    }

    /// <summary>The have-bitfield bytes, or null before metadata or while the check has not produced one.</summary>
    public byte[]? PieceBitfield()
    {
        lock (Sync)
        {
            if (_have is null || _state == TorrentState.CheckingResumeData) return null;
            return _have.Bytes.ToArray();
        }
    }

    /// <summary>Peers holding each piece (0..255); null before metadata and while seeding.</summary>
    public byte[]? PieceAvailability()
    {
        int pieces;
        lock (Sync)
        {
            if (Info is null || _state == TorrentState.Seeding) return null;
            pieces = Info.Files.NumPieces;
        }
        // Counted by the swarm outside this torrent's lock (lock order: swarm, then torrent).
        return Session.Swarm.AvailabilityOf(this, pieces);
    }
}
