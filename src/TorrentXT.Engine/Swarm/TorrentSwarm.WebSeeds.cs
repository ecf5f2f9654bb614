// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Http;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Picking;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.WebSeeds;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// The swarm's side of web seeds (BEP 19): each seed is a pseudo-peer of the piece picker that
/// claims whole pieces nobody is downloading (<see cref="PiecePicker.TryClaimWholePiece"/>), and
/// what it brings goes block by block through the same receive, write-and-check path as peer
/// blocks, so a failing hash counts against the seed like against a peer. The seeds follow the
/// torrent's url-seed list (added, removed) while the torrent is active and not finished.
/// </summary>
internal sealed partial class TorrentSwarm : IWebSeedHost
{
    private readonly Dictionary<string, WebSeed> _webSeeds = new(StringComparer.Ordinal);
    private HttpClient? _webHttp;
    private CancellationTokenSource? _webCts;

    FileStorage IWebSeedHost.Files => Torrent.Info!.Files;

    bool IWebSeedHost.TryClaimPiece(WebSeed seed, out int piece)
    {
        piece = -1;
        if (!Active) return false;
        lock (_sync)
            return !_shutdown && !seed.Stopped && _picker is not null && _storage is not null && PiecesVerifiable
                   && _picker.TryClaimWholePiece(seed, out piece);
    }

    void IWebSeedHost.ReleasePiece(WebSeed seed, int piece)
    {
        lock (_sync)
        {
            if (_picker is null || !_picker.ReleaseClaim(seed, piece)) return;
            foreach (var p in _peers) FillRequestsLocked(p);
        }
    }

    async Task<bool?> IWebSeedHost.StorePieceAsync(WebSeed seed, int piece, ReadOnlyMemory<byte> data)
    {
        TorrentStorage storage;
        int blocks;
        bool[] accepted;
        lock (_sync)
        {
            // A stopped seed was forgotten by the picker (its claims released): it must not come back.
            if (_picker is null || _storage is null || seed.Stopped || _picker.Layout.PieceSize(piece) != data.Length) return null;
            storage = _storage;
            blocks = _picker.Layout.BlockCount(piece);
            accepted = new bool[blocks];
            for (int b = 0; b < blocks; b++)
            {
                _cancels.Clear();
                accepted[b] = _picker.OnBlockReceived(seed, _picker.Layout.Request(piece, b), _cancels) == BlockReceiveResult.Accepted;
                // End game: peers asked for the same block need not send it any more.
                foreach (var other in _cancels)
                {
                    if (other is not PeerConnection q) continue;
                    var r = _picker.Layout.Request(piece, b);
                    if (RemoveRequest(q, r)) q.SendCancel(r);
                    FillRequestsLocked(q);
                }
            }
        }
        _down.Add(data.Length);
        bool? result = null;
        for (int b = 0; b < blocks; b++)
        {
            if (!accepted[b]) continue; // a peer delivered it first (end-game)
            int begin = b * PieceLayout.BlockSize;
            int length = Math.Min(PieceLayout.BlockSize, data.Length - begin);
            DiskBuffer buffer = await _host.Disk.RentBlockAsync(length).ConfigureAwait(false);
            data.Span.Slice(begin, length).CopyTo(buffer.Span);
            result = await WriteAndCheckAsync(storage, new BlockRequest(piece, begin, length), buffer).ConfigureAwait(false) ?? result;
        }
        return result;
    }

    /// <summary>Called by the tick: starts seeds for new URLs, stops removed ones, all of them while inactive or finished.</summary>
    private void UpdateWebSeeds()
    {
        bool want;
        lock (_sync) want = Active && !_shutdown && _picker is not null && !_picker.IsFinished;
        var urls = want ? Torrent.UrlSeeds() : Array.Empty<string>();
        List<WebSeed>? gone = null, started = null;
        lock (_webSeeds)
        {
            foreach (var url in _webSeeds.Keys.Where(u => !urls.Contains(u)).ToArray())
            {
                (gone ??= new()).Add(_webSeeds[url]);
                _webSeeds.Remove(url);
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
                var seed = new WebSeed(url, this, _webHttp, Settings, _webCts.Token);
                _webSeeds[url] = seed;
                (started ??= new()).Add(seed);
            }
        }
        if (gone is not null) ForgetWebSeeds(gone);
        if (started is not null) foreach (var s in started) s.Start();
    }

    /// <summary>Stops seeds and releases every piece they had claimed, for the peers to take.</summary>
    private void ForgetWebSeeds(List<WebSeed> seeds)
    {
        foreach (var s in seeds) s.Stop();
        lock (_sync)
        {
            if (_picker is null) return;
            foreach (var s in seeds) _picker.OnPeerGone(s);
            foreach (var p in _peers) FillRequestsLocked(p);
        }
    }

    /// <summary>The web seeds of this torrent (for status and tests).</summary>
    internal IReadOnlyList<WebSeed> WebSeeds() { lock (_webSeeds) return _webSeeds.Values.ToArray(); }

    private void StopWebSeeds()
    {
        List<WebSeed> all;
        lock (_webSeeds)
        {
            all = _webSeeds.Values.ToList();
            _webSeeds.Clear();
            _webCts?.Cancel();
            _webCts?.Dispose();
            _webCts = null;
            _webHttp?.Dispose();
            _webHttp = null;
        }
        ForgetWebSeeds(all);
    }
}
