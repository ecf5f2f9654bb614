// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Hashing;
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Torrents;

/// <summary>Hash-checking the data already under the save path (on the session's disk worker).</summary>
public sealed partial class Torrent
{
    /// <summary>Marks the torrent for a (re)check; the disk worker runs it. Returns false without metadata.</summary>
    public bool ForceRecheck()
    {
        lock (Sync)
        {
            if (Info is null) return false;
            CheckCancel?.Cancel();
            _flags &= ~TorrentFlags.SeedMode; // a recheck means the data is no longer vouched for
            _resume = null;                   // nor is the resume data
            _resumedUnfinished = null;        // nor its partial pieces
            ClearHaveLocked();
            _checkProgress = 0;
            SetStateLocked(TorrentState.CheckingResumeData);
        }
        Session.EnqueueCheck(this);
        return true;
    }

    /// <summary>Runs on the disk worker: checks every piece, then settles into downloading/finished/seeding.</summary>
    internal void RunCheck(int parallelism, CancellationToken sessionToken)
    {
        // Info is set once and never replaced, so it can be read before the lock; the file stats
        // stay outside the lock because status getters on the ABI thread take it.
        var info = Info;
        if (info is null) return;
        if (TryFastResume(info)) return;
        bool anyOnDisk = AnyFileOnDisk(info);
        CancellationTokenSource cts;
        lock (Sync)
        {
            if (Removed) return;
            CheckCancel?.Dispose();
            cts = CheckCancel = CancellationTokenSource.CreateLinkedTokenSource(sessionToken);
            if ((_flags & TorrentFlags.SeedMode) != 0)
            {
                // seed_mode: the app vouches for the data, so no read pass at add time.
                for (int piece = 0; piece < _have!.Length; piece++) SetHaveLocked(piece, true);
                SettleDownloadStateLocked(announceFinished: true);
                return;
            }
            if (!anyOnDisk)
            {
                // Nothing on disk: no piece can be present, so skip the read pass entirely.
                ClearHaveLocked();
                SettleDownloadStateLocked(announceFinished: true);
                return;
            }
            _checkProgress = 0;
            SetStateLocked(TorrentState.CheckingFiles);
        }

        int checkedCount = 0, total = info.Files.NumPieces;
        try
        {
            var checker = new PieceChecker(info, SavePath);
            checker.CheckAll((piece, ok) =>
            {
                lock (Sync)
                {
                    SetHaveLocked(piece, ok);
                    _checkProgress = (float)(++checkedCount) / total;
                }
            }, parallelism, cts.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lock (Sync) { SettleDownloadStateLocked(announceFinished: false); _checkFailed = true; }
            OnStorageError(e);
            return;
        }
        lock (Sync)
        {
            if (Removed || cts.IsCancellationRequested) return;
            SettleDownloadStateLocked(announceFinished: true);
        }
    }

    /// <summary>
    /// Trusts the resume blob's piece state when the files on disk agree with it (see
    /// <see cref="TorrentXT.Engine.Resume.FastResumeCheck"/>): the torrent settles at once, nothing is hashed.
    /// Otherwise posts fastresumeRejected and returns false, and a full check follows.
    /// </summary>
    private bool TryFastResume(TorrentInfo info)
    {
        TorrentXT.Engine.Resume.ResumeData? resume;
        byte[] priorities;
        lock (Sync)
        {
            resume = TakeResumeLocked();
            if (resume is null || Removed) return false;
            priorities = (byte[])_filePriorities.Clone();
        }
        // Stat outside the lock: status getters on the ABI thread take it.
        var rejection = TorrentXT.Engine.Resume.FastResumeCheck.Verify(info, FilePathOnDisk, resume, priorities);
        lock (Sync)
        {
            if (Removed) return true;
            if (rejection is not null)
            {
                Post(new Alerts.FastresumeRejectedAlert(this, TorrentXT.Engine.Resume.FastResumeRejection.MismatchingFileSize,
                    TorrentXT.Engine.Resume.FastResumeRejection.Message, rejection.Operation, rejection.Path));
                return false;
            }
            for (int piece = 0; piece < _have!.Length; piece++) SetHaveLocked(piece, resume.HasPiece(piece));
            KeepResumedUnfinishedLocked(resume);
            SettleDownloadStateLocked(announceFinished: true);
            return true;
        }
    }

    private bool AnyFileOnDisk(TorrentInfo info)
    {
        foreach (var f in info.Files.Files)
            if (!f.IsPad && f.Size > 0 && File.Exists(FilePathOnDisk(f.Path))) return true;
        return false;
    }

    /// <summary>Where a file of this torrent lives (paths are already sanitised by the metainfo parser).</summary>
    public string FilePathOnDisk(string torrentPath) =>
        Path.Combine(SavePath, torrentPath.Replace('/', Path.DirectorySeparatorChar));
}
