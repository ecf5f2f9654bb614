// SPDX-License-Identifier: MIT
namespace TorrentXT.Native.Wire;

/// <summary>The global field-id registry (contract §3.7).</summary>
internal static class F
{
    public const byte Name = 1, State = 2, Progress = 3, DownloadRate = 4, UploadRate = 5, TotalDone = 6, TotalWanted = 7,
        NumPeers = 8, NumSeeds = 9, SavePath = 10, InfoHashV1 = 11, InfoHashV2 = 12, NumPieces = 13, PieceLength = 14,
        TotalSize = 15, AllTimeDownload = 16, AllTimeUpload = 17, NumComplete = 18, NumIncomplete = 19, IsFinished = 20,
        IsSeeding = 21, IsPaused = 22, Error = 23, Eta = 24, AddedTime = 25, CompletedTime = 26, NumConnections = 27, Flags = 28;

    public const byte PeerEndpoint = 40, PeerClient = 41, PeerDownRate = 42, PeerUpRate = 43, PeerProgress = 44, PeerFlags = 45;

    public const byte EvtTorrent = 60, EvtMessage = 61, EvtErrorCode = 62, EvtErrorMessage = 63, EvtPieceIndex = 64,
        EvtState = 65, EvtPrevState = 66, EvtTrackerUrl = 67, EvtNumPeers = 68, EvtResumeData = 69, EvtInfoHashV1 = 70,
        EvtInfoHashV2 = 71, EvtName = 72, EvtEndpoint = 73;

    public const byte DhtNodes = 100, DhtNodeCache = 101, DhtGlobalNodes = 102, DhtTorrents = 103, DhtTarget = 104,
        DhtValue = 105, DhtPublicKey = 106, DhtSignature = 107, DhtSeq = 108, DhtSalt = 109, DhtAuthoritative = 110,
        DhtNumSuccess = 111, DhtSecretKey = 112, DhtSeed = 113;

    public const byte FilePath = 120, FileSize = 121, FileProgress = 122, FilePriority = 123;
    public const byte TrackerUrl = 130, TrackerTier = 131, TrackerVerified = 132, TrackerSource = 133, UrlSeed = 134;
}

/// <summary>Alert codes (contract §5).</summary>
internal static class AlertCode
{
    public const ushort TorrentAdded = 1, MetadataReceived = 2, PieceFinished = 3, TorrentFinished = 4, TorrentError = 5,
        StateChanged = 6, TrackerReply = 7, TrackerError = 8, ResumeDataReady = 9, ResumeDataFailed = 10,
        TorrentRemoved = 11, DhtBootstrap = 12, ListenSucceeded = 13, ListenFailed = 14, TorrentPaused = 15,
        TorrentResumed = 16, FileCompleted = 17, FileError = 18, StorageMoved = 19, FastresumeRejected = 20,
        ScrapeReply = 21, DhtImmutableItem = 22, DhtMutableItem = 23, DhtPut = 24;
}
