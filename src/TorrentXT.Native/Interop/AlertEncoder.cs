// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Native.Wire;

namespace TorrentXT.Native.Interop;

/// <summary>
/// Turns an engine alert into its ABI record (contract §5), or null for alerts that are consumed
/// internally (statistics) or not surfaced. Side effects happen here, at extraction time: DHT
/// counters are updated and a removed torrent's handle is reclaimed.
/// </summary>
internal static class AlertEncoder
{
    public static byte[]? Encode(LiveSession session, Alert alert)
    {
        int torrent = session.MappedHandle(alert.Torrent);
        switch (alert)
        {
            case SessionStatsAlert stats:
                session.Dht.Nodes = stats.DhtNodes;
                session.Dht.NodeCache = stats.DhtNodeCache;
                session.Dht.Torrents = stats.DhtTorrents;
                session.Dht.GlobalNodes = stats.DhtGlobalNodes;
                return null;

            case TorrentAddedAlert a:
            {
                var e = Begin(AlertCode.TorrentAdded, torrent);
                if (a.Failed)
                {
                    e.Utf8(F.EvtMessage, $"failed to add torrent \"{a.Name}\": [{a.ErrorCategory ?? "libtorrent"}] {a.ErrorMessage}");
                    e.Int(F.EvtErrorCode, a.ErrorCode).Utf8(F.EvtErrorMessage, a.ErrorMessage!);
                    return e.Build();
                }
                e.Utf8(F.EvtMessage, "added torrent: " + AddedName(a));
                // D3: the seed documents info-hashes on torrentAdded; the name only with metadata.
                if (a.Torrent is { HasMetadata: true } t) e.Utf8(F.EvtName, t.DisplayName);
                return WithHashes(e, a.Torrent).Build();
            }

            case MetadataReceivedAlert a:
            {
                var e = Begin(AlertCode.MetadataReceived, torrent)
                    .Utf8(F.EvtMessage, $"{NameFor(session, a)} metadata successfully received")
                    .Utf8(F.EvtName, a.Torrent!.DisplayName);
                return WithHashes(e, a.Torrent).Build();
            }

            case PieceFinishedAlert a:
                return Begin(AlertCode.PieceFinished, torrent).Int(F.EvtPieceIndex, a.Piece).Build();

            case TorrentFinishedAlert:
                return Begin(AlertCode.TorrentFinished, torrent).Build();

            case TorrentErrorAlert a:
                return Begin(AlertCode.TorrentError, torrent).Utf8(F.EvtMessage, a.ErrorMessage)
                    .Int(F.EvtErrorCode, a.ErrorCode).Utf8(F.EvtErrorMessage, a.ErrorMessage).Build();

            case StateChangedAlert a:
                return Begin(AlertCode.StateChanged, torrent).Int(F.EvtState, (int)a.State).Int(F.EvtPrevState, (int)a.PreviousState).Build();

            case TorrentRemovedAlert a:
            {
                // D4: the removed torrent's (now stale) handle, so an app can drop its row.
                int handle = session.RemovedHandle(a.Torrent!);
                var e = Begin(AlertCode.TorrentRemoved, handle);
                if (a.InfoHashes.V1 is { } v1) e.Hex(F.EvtInfoHashV1, v1);
                if (a.InfoHashes.V2 is { } v2) e.Hex(F.EvtInfoHashV2, v2);
                return e.Build();
            }

            case TorrentPausedAlert:
                return Begin(AlertCode.TorrentPaused, torrent).Build();

            case TorrentResumedAlert:
                return Begin(AlertCode.TorrentResumed, torrent).Build();

            case FileCompletedAlert a:
                return Begin(AlertCode.FileCompleted, torrent).Int(F.EvtPieceIndex, a.FileIndex).Build();

            case FileErrorAlert a:
                return Begin(AlertCode.FileError, torrent).Utf8(F.EvtMessage, a.ErrorMessage)
                    .Int(F.EvtErrorCode, a.ErrorCode).Utf8(F.EvtErrorMessage, a.ErrorMessage).Build();

            default:
                return null;
        }
    }

    private static EntryBuilder Begin(int code, int torrent) => new EntryBuilder(code).Int(F.EvtTorrent, torrent);

    /// <summary>D3: info-hashes follow the fields the original emits.</summary>
    private static EntryBuilder WithHashes(EntryBuilder e, Engine.Torrents.Torrent? t)
    {
        if (t is null) return e;
        if (t.InfoHashes.V1 is { } v1) e.Hex(F.EvtInfoHashV1, v1);
        if (t.InfoHashes.V2 is { } v2) e.Hex(F.EvtInfoHashV2, v2);
        return e;
    }

    /// <summary>The added-torrent text: name, else dn, else 40 hex of the (truncated v2, else v1) hash.</summary>
    private static string AddedName(TorrentAddedAlert a)
    {
        if (a.Torrent is null) return a.Name;
        if (a.Torrent.DisplayName.Length > 0) return a.Torrent.DisplayName;
        var h = a.Torrent.InfoHashes;
        var hash = h.TruncatedV2 ?? h.V1;
        return hash is null ? "" : Convert.ToHexStringLower(hash);
    }

    private static string NameFor(LiveSession session, Alert a) =>
        a.Torrent is { } t && session.MappedHandle(t) != 0 ? t.MessageName : " - ";
}
