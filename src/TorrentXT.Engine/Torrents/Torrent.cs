// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Torrents;

/// <summary>
/// One torrent of a session. Its state is guarded by <see cref="Sync"/>: setters that only change
/// stored state (priorities, flags, trackers, limits) apply at once under the lock, so a read that
/// follows sees them; slow work (checking, deleting) runs on the session's disk worker.
/// </summary>
public sealed partial class Torrent
{
    internal readonly object Sync = new();
    private readonly List<TrackerEntry> _trackers = new();
    private readonly SortedSet<string> _urlSeeds = new(StringComparer.Ordinal);
    private readonly List<(int Index, int Priority)> _pendingFilePriorities = new();
    private readonly Dictionary<int, long> _deadlines = new();
    private byte[]? _pendingBulkPriorities;
    private byte[] _filePriorities = Array.Empty<byte>();
    private byte[] _piecePriorities = Array.Empty<byte>();
    private Bitfield? _have;
    private TorrentState _state;
    private TorrentFlags _flags;
    private string _error = "";
    private float _checkProgress;
    private long _completedTime;
    private readonly bool _defaultDontDownload;
    private int _downloadLimit, _uploadLimit, _maxConnections = 16777215, _maxUploads = 16777215;

    public Session Session { get; }
    public InfoHashes InfoHashes { get; private set; }
    public TorrentInfo? Info { get; private set; }
    public string? MagnetName { get; }
    public string SavePath { get; private set; }
    public long AddedTime { get; private set; }
    internal bool Removed { get; set; }
    internal CancellationTokenSource? CheckCancel { get; set; }

    internal Torrent(Session session, AddTorrentParams p)
    {
        Session = session;
        InfoHashes = p.InfoHashes;
        Info = p.Info;
        MagnetName = p.Magnet?.DisplayName ?? (p.Resume?.Name is { Length: > 0 } resumeName ? resumeName : null);
        InitialPeers = (p.Magnet?.PeerEndpoints ?? Array.Empty<System.Net.IPEndPoint>()).Concat(p.Resume?.Peers ?? []).Distinct().ToArray();
        SavePath = p.SavePath;
        AddedTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        _flags = p.Flags & ~(TorrentFlags.DuplicateIsError | TorrentFlags.OverrideTrackers | TorrentFlags.OverrideWebSeeds
                             | TorrentFlags.NoVerifyFiles | TorrentFlags.DefaultDontDownload);
        if (p.Info is { } info)
        {
            foreach (var t in info.Trackers) AddTrackerLocked(t.Url, t.Tier, TrackerSource.Torrent);
            foreach (var u in info.UrlSeeds) _urlSeeds.Add(u);
        }
        if (p.Magnet is { } m)
        {
            int tier = 0;
            foreach (var url in m.Trackers) AddTrackerLocked(url, tier++, TrackerSource.MagnetLink);
            foreach (var u in m.WebSeeds) _urlSeeds.Add(u);
            // 'so': only the listed files are wanted once metadata arrives (the rest start at 0).
            foreach (int i in m.SelectOnly) _pendingFilePriorities.Add((i, DefaultPriority));
        }
        _defaultDontDownload = (p.Flags & TorrentFlags.DefaultDontDownload) != 0 || (p.Magnet?.SelectOnly.Count ?? 0) > 0;
        // A magnet waits for its metadata; a torrent with metadata starts by checking what is on disk.
        _state = Info is null ? TorrentState.DownloadingMetadata : TorrentState.CheckingResumeData;
        if (Info is not null) InitialiseMetadata(_defaultDontDownload);
        if (p.Resume is { } resume) ApplyResume(resume);
    }

    /// <summary>The torrent's name: from metadata, else the magnet's dn, else "".</summary>
    public string DisplayName => Info?.Name ?? MagnetName ?? "";

    /// <summary>The name used in alert messages: the name, or the full hex info-hash if there is none.</summary>
    public string MessageName
    {
        get
        {
            string n = DisplayName;
            if (n.Length > 0) return n;
            return InfoHashes.V2Hex ?? InfoHashes.V1Hex ?? "";
        }
    }

    public bool HasMetadata => Info is not null;

    public TorrentState State { get { lock (Sync) return _state; } }
    public TorrentFlags Flags { get { lock (Sync) return _flags; } }
    public bool IsPaused => (Flags & TorrentFlags.Paused) != 0;
    public bool IsAutoManaged => (Flags & TorrentFlags.AutoManaged) != 0;

    private void InitialiseMetadata(bool dontDownload)
    {
        var fs = Info!.Files;
        _have = new Bitfield(fs.NumPieces);
        _hasPadFiles = fs.Files.Any(f => f.IsPad);
        _filePriorities = new byte[fs.Files.Count];
        Array.Fill(_filePriorities, dontDownload ? (byte)0 : (byte)4);
        if (_pendingBulkPriorities is not null)
        {
            ApplyBulkPrioritiesLocked(_pendingBulkPriorities, forcePadZero: true);
            _pendingBulkPriorities = null;
        }
        foreach (var (i, prio) in _pendingFilePriorities)
            if (i < _filePriorities.Length) _filePriorities[i] = (byte)Math.Min(prio, 7);
        _pendingFilePriorities.Clear();
        RecomputePiecePrioritiesLocked();
    }

    internal void Post(Alert alert) => Session.Alerts.Post(alert);

    /// <summary>Changes state and posts stateChanged; call under <see cref="Sync"/>.</summary>
    internal void SetStateLocked(TorrentState state)
    {
        if (_state == state) return;
        var previous = _state;
        _state = state;
        Post(new StateChangedAlert(this, state, previous));
        Session.Swarm.Wake(); // e.g. checked: its swarm may dial now
    }

    public string Error { get { lock (Sync) return _error; } }

    internal void SetErrorLocked(string message) => _error = message;


    public IReadOnlyDictionary<int, long> Deadlines { get { lock (Sync) return new Dictionary<int, long>(_deadlines); } }

    public void SetPieceDeadline(int piece, int deadlineMs)
    {
        lock (Sync)
        {
            if (Info is null || piece >= Info.Files.NumPieces) return;
            _deadlines[piece] = Environment.TickCount64 + deadlineMs;
        }
    }

    public void ClearPieceDeadlines()
    {
        lock (Sync) _deadlines.Clear();
    }

    // ---- limits -------------------------------------------------------------------------------

    public int DownloadLimit { get { lock (Sync) return _downloadLimit; } set { lock (Sync) _downloadLimit = Math.Max(0, value); } }
    public int UploadLimit { get { lock (Sync) return _uploadLimit; } set { lock (Sync) _uploadLimit = Math.Max(0, value); } }

    /// <summary>Per-torrent connection cap; values &lt;= 0 mean unlimited (stored as 16777215 like libtorrent).</summary>
    public int MaxConnections { get { lock (Sync) return _maxConnections; } set { lock (Sync) _maxConnections = value <= 0 ? 16777215 : value; } }
    public int MaxUploads { get { lock (Sync) return _maxUploads; } set { lock (Sync) _maxUploads = value <= 0 ? 16777215 : value; } }
}
