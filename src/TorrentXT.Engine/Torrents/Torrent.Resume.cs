// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Resume;

namespace TorrentXT.Engine.Torrents;

/// <summary>Resume data: applied at add time, captured for <c>save_resume_data</c>.</summary>
public sealed partial class Torrent
{
    // The blob's piece state, kept until the first check decides whether the disk agrees with it
    // (also across a magnet's wait for metadata). Cleared by a forced recheck.
    private ResumeData? _resume;
    // All-time counters carried over from earlier sessions; the swarm adds this session's.
    private long _resumedDownload, _resumedUpload;
    private int _resumedQueuePosition = -1;
    // The blob's 'unfinished' blocks once a fast resume accepted it, until the swarm's picker takes
    // them (TorrentSwarm.EnsureStorage). Not kept when the blob was rejected: a full check only
    // keeps whole verified pieces (as libtorrent's does).
    private List<(int Piece, byte[] Bitmask)>? _resumedUnfinished;

    /// <summary>The queue position the blob asked for (-1: append), read once by the session's add.</summary>
    internal int ResumedQueuePosition => _resumedQueuePosition;

    private void ApplyResume(ResumeData r)
    {
        if (r.AddedTime > 0) AddedTime = r.AddedTime;
        _completedTime = Math.Max(0, r.CompletedTime);
        _downloadLimit = Math.Max(0, r.DownloadLimit);
        _uploadLimit = Math.Max(0, r.UploadLimit);
        _maxConnections = r.MaxConnections <= 0 ? ResumeData.Unlimited : r.MaxConnections;
        _maxUploads = r.MaxUploads <= 0 ? ResumeData.Unlimited : r.MaxUploads;
        _allTimeDownload = _resumedDownload = r.TotalDownloaded;
        _allTimeUpload = _resumedUpload = r.TotalUploaded;
        _resumedQueuePosition = r.QueuePosition;
        // The blob's trackers and web seeds replace the torrent's (libtorrent's override_trackers
        // and override_web_seeds, which read_resume_data sets).
        if (r.Trackers.Count > 0 || r.UrlSeeds.Count > 0 || Info is null)
        {
            _trackers.Clear();
            _urlSeeds.Clear();
        }
        for (int tier = 0; tier < r.Trackers.Count; tier++)
            foreach (var url in r.Trackers[tier]) AddTrackerLocked(url, Math.Min(tier, 255), TrackerSource.Client);
        foreach (var u in r.UrlSeeds) _urlSeeds.Add(u);

        if (r.FilePriorities is { } fp)
        {
            if (Info is null) { _pendingBulkPriorities = fp; _pendingFilePriorities.Clear(); }
            else { ApplyBulkPrioritiesLocked(fp, forcePadZero: true); RecomputePiecePrioritiesLocked(); }
        }
        if (Info is not null && r.PiecePriorities is { } pp && pp.Length == _piecePriorities.Length)
        {
            pp.CopyTo(_piecePriorities, 0);
            RecountLocked();
        }
        if (r.HasPieceState) _resume = r;
    }

    /// <summary>Takes the blob's piece state for the check about to run (null when there is none).</summary>
    private ResumeData? TakeResumeLocked()
    {
        var r = _resume;
        _resume = null;
        return r;
    }

    /// <summary>
    /// Takes the blocks of partial pieces that resume data says are on disk (null when there are
    /// none, or they were taken already): the swarm marks them written in its new picker.
    /// </summary>
    internal List<(int Piece, byte[] Bitmask)>? TakeResumedUnfinished()
    {
        lock (Sync)
        {
            var u = _resumedUnfinished;
            _resumedUnfinished = null;
            return u;
        }
    }

    // Called with the fast resume's verdict: keeps the partial pieces of an accepted blob that are not had.
    private void KeepResumedUnfinishedLocked(ResumeData r)
    {
        _resumedUnfinished = null;
        foreach (var u in r.Unfinished)
            if ((uint)u.Piece < (uint)_have!.Length && !_have[u.Piece]) (_resumedUnfinished ??= new()).Add(u);
    }

    /// <summary>
    /// A snapshot in libtorrent's resume format. <paramref name="includeInfo"/> adds the info
    /// dictionary (and the v2 trees travel whenever there is metadata); the writer may still leave
    /// them out to fit the record cap.
    /// </summary>
    internal ResumeData CaptureResume(bool includeInfo, int queuePosition)
    {
        // Peers we dialled listen where we reached them (an incoming peer's port is ephemeral).
        // Read before the torrent lock: the swarm's lock comes first.
        var peers = PeerList().Where(p => (p.Flags & PeerInfoFlags.OutgoingConnection) != 0).Select(p => p.Endpoint).ToList();
        lock (Sync)
        {
            var d = new ResumeData
            {
                InfoHashV1 = InfoHashes.V1,
                InfoHashV2 = InfoHashes.V2,
                Name = DisplayName,
                SavePath = SavePath,
                Flags = _flags,
                DownloadLimit = _downloadLimit > 0 ? _downloadLimit : -1,
                UploadLimit = _uploadLimit > 0 ? _uploadLimit : -1,
                MaxConnections = _maxConnections,
                MaxUploads = _maxUploads,
                AddedTime = AddedTime,
                CompletedTime = _completedTime,
                TotalDownloaded = _allTimeDownload,
                TotalUploaded = _allTimeUpload,
                QueuePosition = queuePosition,
            };
            int tier = -1;
            foreach (var t in _trackers)
            {
                if (t.Tier != tier || d.Trackers.Count == 0) { d.Trackers.Add(new List<string>()); tier = t.Tier; }
                d.Trackers[^1].Add(t.Url);
            }
            d.UrlSeeds.AddRange(_urlSeeds);
            d.Peers.AddRange(peers);
            if (Info is { } info)
            {
                if (includeInfo) d.InfoDict = info.InfoBytes;
                d.Trees.AddRange(ResumeTrees.FromInfo(info));
                d.FilePriorities = (byte[])_filePriorities.Clone();
                if (!PiecePrioritiesDerivedLocked()) d.PiecePriorities = (byte[])_piecePriorities.Clone();
                d.Pieces = PieceStateLocked();
                // Partial pieces the swarm has not taken yet (it adds its picker's own in SaveResumeData).
                if (_state == TorrentState.CheckingResumeData && _resume is { } waiting) d.Unfinished.AddRange(waiting.Unfinished);
                else if (_resumedUnfinished is { } kept) d.Unfinished.AddRange(kept);
            }
            else if (_resume is { } pending)
            {
                // No metadata yet: hand on what the blob we were added from knew.
                d.Pieces = pending.Pieces;
                d.AllPieces = pending.AllPieces;
                d.FilePriorities = pending.FilePriorities;
                d.PiecePriorities = pending.PiecePriorities;
                d.Unfinished.AddRange(pending.Unfinished);
                d.Trees.AddRange(pending.Trees);
            }
            return d;
        }
    }

    // One byte per piece, bit 0 = have. While the first check is still pending the blob's state is
    // the truth (the bitfield is not filled yet).
    // A check in progress (a forced recheck, or a rejected blob) is not a piece state: the blob then
    // has none, so the next start checks the files again instead of trusting half a check.
    private byte[]? PieceStateLocked()
    {
        int n = _have!.Length;
        var pieces = new byte[n];
        if (_state == TorrentState.CheckingResumeData && _resume is { } pending)
        {
            for (int i = 0; i < n; i++) pieces[i] = pending.HasPiece(i) ? (byte)1 : (byte)0;
            return pieces;
        }
        if (_state is TorrentState.CheckingFiles or TorrentState.CheckingResumeData) return null;
        for (int i = 0; i < n; i++) pieces[i] = _have[i] ? (byte)1 : (byte)0;
        return pieces;
    }

    // Piece priorities are derivable when each equals the highest priority of the files it overlaps.
    private bool PiecePrioritiesDerivedLocked()
    {
        var saved = (byte[])_piecePriorities.Clone();
        RecomputePiecePrioritiesLocked();
        bool same = saved.AsSpan().SequenceEqual(_piecePriorities);
        if (!same) { saved.CopyTo(_piecePriorities, 0); RecountLocked(); }
        return same;
    }
}
