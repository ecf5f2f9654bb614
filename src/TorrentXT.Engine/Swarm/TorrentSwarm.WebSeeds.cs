// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Http;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.WebSeeds;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// The swarm's side of web seeds (BEP 19): it hands out whole pieces nobody is downloading and
/// stores what the seeds bring through the same write-and-check path as peer blocks. The seeds
/// follow the torrent's url-seed list (added, removed) while the torrent is active.
/// </summary>
internal sealed partial class TorrentSwarm : IWebSeedHost
{
    private readonly Dictionary<string, WebSeed> _webSeeds = new(StringComparer.Ordinal);
    private HttpClient? _webHttp;
    private CancellationTokenSource? _webCts;

    FileStorage IWebSeedHost.Files => Torrent.Info!.Files;

    bool IWebSeedHost.TryClaimPiece(out int piece)
    {
        piece = -1;
        if (!Active) return false;
        lock (_sync) return !_shutdown && _tracker is not null && _tracker.TryClaimWholePiece(out piece);
    }

    void IWebSeedHost.ReleasePiece(int piece)
    {
        lock (_sync) _tracker?.OnFailed(piece);
    }

    async Task<bool> IWebSeedHost.StorePieceAsync(int piece, ReadOnlyMemory<byte> data)
    {
        TorrentStorage storage;
        int blocks;
        lock (_sync)
        {
            if (_storage is null || _tracker is null) return false;
            storage = _storage;
            blocks = _tracker.BlocksIn(piece);
            for (int b = 0; b < blocks; b++) _tracker.OnReceived(piece, b);
        }
        _down.Add(data.Length);
        bool? result = null;
        for (int b = 0; b < blocks; b++)
        {
            int begin = b * BlockTracker.BlockSize;
            int length = Math.Min(BlockTracker.BlockSize, data.Length - begin);
            DiskBuffer buffer = await _host.Disk.RentBlockAsync(length).ConfigureAwait(false);
            data.Span.Slice(begin, length).CopyTo(buffer.Span);
            result = await WriteAndCheckAsync(storage, piece, begin, buffer).ConfigureAwait(false) ?? result;
        }
        return result == true;
    }

    /// <summary>Called by the tick: starts seeds for new URLs, stops removed ones, all of them while inactive.</summary>
    private void UpdateWebSeeds()
    {
        var urls = Active && _tracker is not null && !_tracker.IsDone ? Torrent.UrlSeeds() : Array.Empty<string>();
        lock (_webSeeds)
        {
            foreach (var gone in _webSeeds.Keys.Where(u => !urls.Contains(u)).ToArray())
            {
                _webSeeds[gone].Stop();
                _webSeeds.Remove(gone);
            }
            foreach (var url in urls)
            {
                if (_webSeeds.ContainsKey(url) || !(url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                                                     || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))) continue;
                _webCts ??= new CancellationTokenSource();
                _webHttp ??= new HttpClient(new SocketsHttpHandler
                {
                    AllowAutoRedirect = true, MaxAutomaticRedirections = 5, UseProxy = false, UseCookies = false,
                    AutomaticDecompression = DecompressionMethods.None,
                }) { Timeout = Timeout.InfiniteTimeSpan };
                _webSeeds[url] = new WebSeed(url, this, _webHttp, Settings, _webCts.Token);
            }
        }
    }

    /// <summary>The web seeds of this torrent (for status and tests).</summary>
    internal IReadOnlyList<WebSeed> WebSeeds() { lock (_webSeeds) return _webSeeds.Values.ToArray(); }

    private void StopWebSeeds()
    {
        lock (_webSeeds)
        {
            foreach (var s in _webSeeds.Values) s.Stop();
            _webSeeds.Clear();
            _webCts?.Cancel();
            _webHttp?.Dispose();
            _webHttp = null;
        }
    }
}
