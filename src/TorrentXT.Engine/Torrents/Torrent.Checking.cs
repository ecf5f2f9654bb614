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
            lock (Sync)
            {
                _error = e.Message;
                Post(new Alerts.FileErrorAlert(this, e.HResult & 0xFFFF, e.Message));
                SettleDownloadStateLocked(announceFinished: false);
            }
            return;
        }
        lock (Sync)
        {
            if (Removed || cts.IsCancellationRequested) return;
            SettleDownloadStateLocked(announceFinished: true);
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
