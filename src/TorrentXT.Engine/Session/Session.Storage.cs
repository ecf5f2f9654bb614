// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Resume;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine;

/// <summary>Resume data and storage moves: both run on the disk worker, never on the caller's thread.</summary>
public sealed partial class Session
{
    /// <summary>
    /// The record cap of the C ABI (0xFF00 bytes, contract §5): resume data is made to fit under it
    /// whenever its format allows (see <see cref="ResumeDataWriter.WriteWithin"/>).
    /// </summary>
    public const int ResumeRecordCap = 0xFF00;

    /// <summary>
    /// Asks for resume data: the torrent's written data is flushed, then a resumeDataReady alert
    /// carries the blob (the most compact form that fits <see cref="ResumeRecordCap"/>, or the most
    /// compact form at all), or resumeDataFailed says why not.
    /// </summary>
    public void SaveResumeData(Torrent torrent, bool includeInfo)
    {
        _disk.Post(() =>
        {
            if (torrent.Removed)
            {
                Alerts.Post(new ResumeDataFailedAlert(torrent, 0, "torrent has been removed"));
                return;
            }
            // Blocks already written, listed before the flush so the flush covers every one of them.
            var written = Swarm.WrittenBlocksOf(torrent);
            try { Swarm.StorageOf(torrent)?.Flush(); }
            catch (StorageException e)
            {
                Alerts.Post(new ResumeDataFailedAlert(torrent, e.ErrorCode, e.ErrorMessage));
                return;
            }
            catch (ObjectDisposedException) { /* the storage was closed (and flushed) meanwhile */ }
            var data = torrent.CaptureResume(includeInfo, QueuePosition(torrent));
            if (written is not null) data.Unfinished.AddRange(written);
            // A piece that passed meanwhile is had, not unfinished; without a piece map the next
            // start checks the files anyway.
            if (!data.HasPieceState) data.Unfinished.Clear();
            else data.Unfinished.RemoveAll(u => data.HasPiece(u.Piece));
            var blob = ResumeDataWriter.WriteWithin(data, ResumeRecordCap, out _);
            Alerts.Post(new ResumeDataReadyAlert(torrent, blob));
        });
    }

    /// <summary>Moves the torrent's files to <paramref name="newPath"/> (absolute); storageMoved or fileError follows.</summary>
    public void MoveStorage(Torrent torrent, string newPath)
    {
        var token = _shutdown.Token;
        string target = Path.GetFullPath(newPath);
        _disk.Post(() => torrent.RunMove(target, token));
    }

    /// <summary>
    /// File priorities changed: the open storage learns them on the disk worker, so a file leaving
    /// priority 0 gets the bytes its part file holds for it and new writes go to the file itself.
    /// </summary>
    internal void ApplyFilePriorities(Torrent torrent)
    {
        _disk.Post(() =>
        {
            try { Swarm.StorageOf(torrent)?.ApplyFilePriorities(torrent.FilePriorities()); }
            catch (ObjectDisposedException) { /* closed meanwhile: the next storage opens with the new priorities */ }
            // Any other failure leaves bytes in the part file that the torrent counts as present:
            // an error state says so (a silent failure here once hid a bug for a whole download).
            catch (Exception e) { torrent.OnStorageError(e); }
        });
    }

    /// <summary>Runs <paramref name="work"/> on the disk worker after everything posted before it (checks, moves, saves).</summary>
    internal void OnDiskWorker(Action work) => _disk.Post(work);

    /// <summary>Puts a torrent added from resume data at the queue position it had (call under <see cref="_sync"/>).</summary>
    private void PlaceInQueueLocked(Torrent torrent)
    {
        int want = torrent.ResumedQueuePosition;
        if (want < 0) return;
        int at = _queue.IndexOf(torrent);
        if (at < 0 || want >= _queue.Count) return;
        _queue.RemoveAt(at);
        _queue.Insert(want, torrent);
    }
}
