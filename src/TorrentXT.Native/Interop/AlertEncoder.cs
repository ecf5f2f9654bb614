// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Net;
using TorrentXT.Engine.Torrents;
using TorrentXT.Native.Records;
using TorrentXT.Native.Wire;

namespace TorrentXT.Native.Interop;

/// <summary>
/// Turns an engine alert into its ABI entry (contract §5), or null for alerts that are consumed
/// internally (statistics) or not surfaced. Side effects happen here, once, at extraction time:
/// DHT counters are updated and a removed torrent's handle is reclaimed. Field order follows §5;
/// fields added by decision D3 come after the ones the original emits.
/// </summary>
internal static class AlertEncoder
{
    /// <summary>The largest resume blob a record can carry (0xFF00, contract §5).</summary>
    private const int ResumeCap = TorrentXT.Engine.Session.ResumeRecordCap;

    private readonly record struct Context(int Torrent, Alert Alert, string MessageName);

    public static byte[]? Encode(LiveSession session, Alert alert)
    {
        if (alert is SessionStatsAlert stats)
        {
            session.Dht.Nodes = stats.DhtNodes;
            session.Dht.NodeCache = stats.DhtNodeCache;
            session.Dht.Torrents = stats.DhtTorrents;
            session.Dht.GlobalNodes = stats.DhtGlobalNodes;
            return null;
        }
        ushort code = CodeOf(alert);
        if (code == 0) return null;
        // D4: torrentRemoved carries the removed torrent's (now stale) handle.
        int torrent = alert is TorrentRemovedAlert removed
            ? session.RemovedHandle(removed.Torrent!)
            : session.MappedHandle(alert.Torrent);
        string name = alert.Torrent is { } t && session.MappedHandle(t) != 0 ? t.MessageName : " - ";
        return AlertEntry.Encode(code, new Context(torrent, alert, name), WriteFields);
    }

    private static ushort CodeOf(Alert alert) => alert switch
    {
        TorrentAddedAlert => AlertCode.TorrentAdded,
        MetadataReceivedAlert => AlertCode.MetadataReceived,
        PieceFinishedAlert => AlertCode.PieceFinished,
        TorrentFinishedAlert => AlertCode.TorrentFinished,
        TorrentErrorAlert => AlertCode.TorrentError,
        StateChangedAlert => AlertCode.StateChanged,
        TorrentRemovedAlert => AlertCode.TorrentRemoved,
        TorrentPausedAlert => AlertCode.TorrentPaused,
        TorrentResumedAlert => AlertCode.TorrentResumed,
        FileCompletedAlert => AlertCode.FileCompleted,
        FileErrorAlert => AlertCode.FileError,
        ListenSucceededAlert => AlertCode.ListenSucceeded,
        ListenFailedAlert => AlertCode.ListenFailed,
        DhtBootstrapAlert => AlertCode.DhtBootstrap,
        DhtPutAlert => AlertCode.DhtPut,
        DhtImmutableItemAlert => AlertCode.DhtImmutableItem,
        DhtMutableItemAlert => AlertCode.DhtMutableItem,
        ResumeDataReadyAlert a => a.Blob.Length <= ResumeCap ? AlertCode.ResumeDataReady : AlertCode.ResumeDataFailed,
        ResumeDataFailedAlert => AlertCode.ResumeDataFailed,
        FastresumeRejectedAlert => AlertCode.FastresumeRejected,
        StorageMovedAlert => AlertCode.StorageMoved,
        TrackerReplyAlert => AlertCode.TrackerReply,
        TrackerErrorAlert => AlertCode.TrackerError,
        ScrapeReplyAlert => AlertCode.ScrapeReply,
        _ => 0,
    };

    private static void WriteFields(ref RecordWriter w, Context c)
    {
        w.Int(F.EvtTorrent, c.Torrent);
        switch (c.Alert)
        {
            case TorrentAddedAlert { Failed: true } a:
                w.Utf8(F.EvtMessage, $"failed to add torrent \"{a.Name}\": [{a.ErrorCategory ?? "libtorrent"}] {a.ErrorMessage}");
                w.Int(F.EvtErrorCode, a.ErrorCode);
                w.Utf8(F.EvtErrorMessage, a.ErrorMessage);
                break;
            case TorrentAddedAlert a:
                w.Utf8(F.EvtMessage, "added torrent: " + AddedName(a.Torrent, a.Name));
                if (a.Torrent is { HasMetadata: true } withInfo) w.Utf8(F.EvtName, withInfo.DisplayName);
                WriteHashes(ref w, a.Torrent);
                break;
            case MetadataReceivedAlert a:
                w.Utf8(F.EvtMessage, c.MessageName + " metadata successfully received");
                w.Utf8(F.EvtName, a.Torrent!.DisplayName);
                WriteHashes(ref w, a.Torrent);
                break;
            case PieceFinishedAlert a:
                w.Int(F.EvtPieceIndex, a.Piece);
                break;
            case TorrentErrorAlert a:
                WriteError(ref w, a.ErrorCode, a.ErrorMessage);
                break;
            case FileErrorAlert a:
                WriteError(ref w, a.ErrorCode, a.ErrorMessage);
                break;
            case StateChangedAlert a:
                w.Int(F.EvtState, (int)a.State);
                w.Int(F.EvtPrevState, (int)a.PreviousState);
                break;
            case TorrentRemovedAlert a:
                if (a.InfoHashes.V1 is { } v1) w.Hex(F.EvtInfoHashV1, v1);
                if (a.InfoHashes.V2 is { } v2) w.Hex(F.EvtInfoHashV2, v2);
                break;
            case ListenSucceededAlert a:
                w.Utf8(F.EvtMessage, $"successfully listening on [{a.SocketType}] {Endpoints.Format(a.Endpoint)}");
                w.Utf8(F.EvtEndpoint, Endpoints.Format(a.Endpoint)); // D10: IPv6 bracketed
                break;
            case ListenFailedAlert a:
                w.Int(F.EvtErrorCode, a.ErrorCode);
                w.Utf8(F.EvtErrorMessage, a.ErrorMessage);
                // D3: the seed's message and endpoint follow the original's fields.
                w.Utf8(F.EvtMessage, $"listening on {a.Endpoint} failed: [listen] [TCP] {a.ErrorMessage}");
                w.Utf8(F.EvtEndpoint, a.Endpoint);
                break;
            case ResumeDataReadyAlert a when a.Blob.Length <= ResumeCap:
                w.Raw(F.EvtResumeData, a.Blob);
                break;
            case ResumeDataReadyAlert a:
                // §5: over the cap the blob is not delivered; only the message says why (no code).
                w.Utf8(F.EvtErrorMessage, $"resume data ({a.Blob.Length} bytes) exceeds the event-record limit; not delivered");
                break;
            case ResumeDataFailedAlert a:
                WriteError(ref w, a.ErrorCode, a.ErrorMessage);
                break;
            case FastresumeRejectedAlert a:
                w.Int(F.EvtErrorCode, a.ErrorCode);
                w.Utf8(F.EvtErrorMessage, a.ErrorMessage);
                w.Utf8(F.EvtMessage, $"{c.MessageName} fast resume rejected. {a.Operation}({a.Path}): {a.ErrorMessage}");
                break;
            case StorageMovedAlert a:
                w.Utf8(F.EvtMessage, $"{c.MessageName} moved storage from \"{a.OldPath}\" to: \"{a.NewPath}\"");
                break;
            case TrackerReplyAlert a:
                w.Utf8(F.EvtTrackerUrl, a.Url);
                w.Int(F.EvtNumPeers, a.NumPeers);
                break;
            case TrackerErrorAlert a:
                w.Int(F.EvtErrorCode, a.ErrorCode);
                w.Utf8(F.EvtErrorMessage, a.ErrorMessage);
                w.Utf8(F.EvtTrackerUrl, a.Url);
                // D3: the seed's message follows the original's fields.
                w.Utf8(F.EvtMessage, $"{c.MessageName} ({a.Url}) {a.ErrorMessage} ({a.TimesInRow})");
                break;
            case ScrapeReplyAlert a:
                w.Utf8(F.EvtMessage, $"{c.MessageName} ({a.Url})[{a.LocalEndpoint}] v1 scrape reply: {a.Incomplete} {a.Complete}");
                // D3: numPeers (seeds plus leechers the tracker knows) follows the original's message.
                w.Int(F.EvtNumPeers, Math.Max(0, a.Complete) + Math.Max(0, a.Incomplete));
                break;
            case FileCompletedAlert a:
                w.Int(F.EvtPieceIndex, a.FileIndex); // the piece field carries the file index (§5)
                break;
            default:
                DhtAlertFields.Write(ref w, c.Alert);
                break;
        }
    }

    /// <summary>The original's code and message; D3 adds 'message' after them (added fields follow).</summary>
    private static void WriteError(ref RecordWriter w, int code, string message)
    {
        w.Int(F.EvtErrorCode, code);
        w.Utf8(F.EvtErrorMessage, message);
        w.Utf8(F.EvtMessage, message);
    }

    private static void WriteHashes(ref RecordWriter w, Torrent? t)
    {
        if (t is null) return;
        if (t.InfoHashes.V1 is { } v1) w.Hex(F.EvtInfoHashV1, v1);
        if (t.InfoHashes.V2 is { } v2) w.Hex(F.EvtInfoHashV2, v2);
    }

    /// <summary>The added-torrent text: name, else dn, else 40 hex of the (truncated v2, else v1) hash.</summary>
    private static string AddedName(Torrent? t, string fallback)
    {
        if (t is null) return fallback;
        if (t.DisplayName.Length > 0) return t.DisplayName;
        var hash = t.InfoHashes.TruncatedV2 ?? t.InfoHashes.V1;
        return hash is null ? "" : Convert.ToHexStringLower(hash);
    }
}
