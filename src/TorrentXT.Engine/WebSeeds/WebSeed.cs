// SPDX-License-Identifier: MIT
using System.Buffers;
using System.Net;
using System.Net.Http;
using TorrentXT.Engine.Picking;
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.WebSeeds;

/// <summary>
/// One HTTP(S) web seed (BEP 19) of a torrent: <see cref="Workers"/> loops each claim a whole piece
/// from the swarm, fetch it with range requests (one per file it spans), and hand it to the normal
/// write-and-verify path. A failure (HTTP error, timeout, or a piece of ours that fails its hash
/// check) gives the piece back and waits <c>urlseed_wait_retry</c> x failures in a row; after
/// <c>max_failcount</c> failures in a row the seed is dropped. To the piece picker the seed is a
/// pseudo-peer (<see cref="IPeerView"/>) that has every piece and claims whole pieces.
/// </summary>
internal sealed class WebSeed : IPeerView
{
    private readonly IWebSeedHost _host;
    private readonly HttpClient _http;
    private readonly SettingsPack _settings;
    private readonly CancellationTokenSource _cts;
    private int _failuresInRow;
    private volatile bool _dropped;

    public string Url { get; }
    public bool Dropped => _dropped;
    public string? LastError { get; private set; }
    public long BytesDownloaded;
    public int Workers { get; }
    /// <summary>Pieces of this seed that failed their hash check.</summary>
    public int HashFailures => Volatile.Read(ref _hashFailures);
    private int _hashFailures;

    public WebSeed(string url, IWebSeedHost host, HttpClient http, SettingsPack settings, CancellationToken ct)
    {
        Url = url;
        _host = host;
        _http = http;
        _settings = settings;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Workers = Math.Clamp(settings.GetInt(SettingIds.UrlseedPipelineSize), 1, 4);
    }

    /// <summary>Starts the worker loops (separate from the constructor so the swarm can register the seed first).</summary>
    public void Start()
    {
        for (int i = 0; i < Workers; i++) _ = Task.Run(WorkLoop);
    }

    public void Stop() { try { _cts.Cancel(); } catch (ObjectDisposedException) { } }

    public bool Stopped => _cts.IsCancellationRequested;

    // ---- IPeerView: a seed that never chokes; it is given pieces by claim, not by PickBlocks.
    Bitfield? IPeerView.Pieces => null;
    bool IPeerView.HasAll => true;
    bool IPeerView.IsChokingUs => false;
    IReadOnlyList<int> IPeerView.AllowedFast => Array.Empty<int>();
    long IPeerView.DownloadRate => 0;
    bool IPeerView.IsSnubbed => false;

    /// <summary>A piece this seed delivered (all or part of) failed its hash check: counted as a failure in a row.</summary>
    public void OnBadPiece(int piece)
    {
        Interlocked.Increment(ref _hashFailures);
        RecordFailure($"piece {piece} from the web seed failed its hash check");
    }

    private int RecordFailure(string error)
    {
        LastError = error;
        int fails = Interlocked.Increment(ref _failuresInRow);
        if (fails >= Math.Max(1, _settings.GetInt(SettingIds.MaxFailcount))) _dropped = true;
        return fails;
    }

    private async Task WorkLoop()
    {
        var ct = _cts.Token;
        while (!ct.IsCancellationRequested && !Dropped)
        {
            if (!_host.TryClaimPiece(this, out int piece))
            {
                try { await Task.Delay(500, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                continue;
            }
            int size = _host.Files.PieceSize(piece);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
            string? error = null;
            bool? verdict = null;
            bool stored = false;
            try
            {
                buffer.AsSpan(0, size).Clear(); // pad-file bytes are zeros and are not requested
                foreach (var range in WebSeedRanges.ForPiece(Url, _host.Files, piece))
                    await FetchAsync(range, buffer.AsMemory(range.PieceOffset, range.Length), ct).ConfigureAwait(false);
                stored = true;
                verdict = await _host.StorePieceAsync(this, piece, buffer.AsMemory(0, size)).ConfigureAwait(false);
                if (verdict != false) Interlocked.Add(ref BytesDownloaded, size);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e) when (e is WebSeedException or HttpRequestException or IOException or OperationCanceledException)
            {
                error = e is OperationCanceledException ? $"timed out after {_settings.GetInt(SettingIds.UrlseedTimeout)} s (urlseed_timeout)" : e.Message;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            if (!stored) _host.ReleasePiece(this, piece); // a stored piece that failed was released by the check
            if (ct.IsCancellationRequested) return;
            int fails;
            if (error is not null) fails = RecordFailure(error);
            else if (verdict == false) fails = Volatile.Read(ref _failuresInRow); // counted by OnBadPiece
            else { Volatile.Write(ref _failuresInRow, 0); continue; }
            if (Dropped) return;
            try { await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, _settings.GetInt(SettingIds.UrlseedWaitRetry)) * Math.Max(1, fails)), ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One range request: 206 with exactly the asked bytes (or 200 when the whole file is the range).</summary>
    private async Task FetchAsync(WebSeedRange range, Memory<byte> into, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, _settings.GetInt(SettingIds.UrlseedTimeout))));
        using var request = new HttpRequestMessage(HttpMethod.Get, range.Url);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(range.Offset, range.Offset + range.Length - 1);
        request.Headers.TryAddWithoutValidation("User-Agent", _settings.GetString(SettingIds.UserAgent));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.OK && range.Offset != 0)
            throw new WebSeedException($"{range.Url}: the server ignored the range request (HTTP 200)");
        if (response.StatusCode is not (HttpStatusCode.PartialContent or HttpStatusCode.OK))
            throw new WebSeedException($"{range.Url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        int got = 0;
        while (got < into.Length)
        {
            int n = await stream.ReadAsync(into[got..], timeout.Token).ConfigureAwait(false);
            if (n == 0) throw new WebSeedException($"{range.Url}: the body ended after {got} of {into.Length} bytes");
            got += n;
        }
    }
}

/// <summary>A web seed answered in a way we cannot use.</summary>
internal sealed class WebSeedException(string message) : Exception(message);
