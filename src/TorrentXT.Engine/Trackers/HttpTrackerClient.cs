// SPDX-License-Identifier: MIT
using System.Buffers;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace TorrentXT.Engine.Trackers;

/// <summary>
/// HTTP(S) announces and scrapes over one pooled <see cref="HttpClient"/>: gzip bodies, at most
/// <see cref="MaxRedirects"/> redirects, a whole-exchange timeout and a receive-inactivity timeout,
/// a response size cap, and the <c>user_agent</c> setting. Every failure becomes a
/// <see cref="TrackerFailure"/> with a message that says what happened.
/// </summary>
public sealed class HttpTrackerClient : IDisposable
{
    public const int MaxRedirects = 5;
    private readonly HttpClient _http;

    public HttpTrackerClient()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = MaxRedirects,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<AnnounceResult> AnnounceAsync(string trackerUrl, AnnounceRequest request, TrackerLimits limits, CancellationToken ct)
    {
        var (body, length, contentType) = await GetAsync(TrackerUrls.Announce(trackerUrl, request), limits, ct).ConfigureAwait(false);
        try { return Parse(() => HttpTrackerResponse.ParseAnnounce(body.AsMemory(0, length)), contentType); }
        finally { ArrayPool<byte>.Shared.Return(body); }
    }

    public async Task<ScrapeResult> ScrapeAsync(string trackerUrl, byte[] infoHash, TrackerLimits limits, CancellationToken ct)
    {
        string url = TrackerUrls.Scrape(trackerUrl, infoHash)
                     ?? throw new TrackerFailure(TrackerFailure.ScrapeNotAvailable, "scrape not available on tracker (its URL does not end in /announce)");
        var (body, length, contentType) = await GetAsync(url, limits, ct).ConfigureAwait(false);
        try { return Parse(() => HttpTrackerResponse.ParseScrape(body.AsMemory(0, length), infoHash), contentType); }
        finally { ArrayPool<byte>.Shared.Return(body); }
    }

    /// <summary>A parse failure names the content type when it was not a bencoded one, since that is usually why.</summary>
    private static T Parse<T>(Func<T> parse, string? contentType)
    {
        try { return parse(); }
        catch (TrackerFailure f) when (f.Code == TrackerFailure.InvalidResponse && contentType is not null
                                       && !contentType.Contains("bittorrent", StringComparison.OrdinalIgnoreCase)
                                       && !contentType.Contains("octet-stream", StringComparison.OrdinalIgnoreCase)
                                       && !contentType.Contains("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            throw new TrackerFailure(f.Code, $"{f.Message} (content type {contentType})", f.RetryIn);
        }
    }

    /// <summary>GETs a URL; the body comes back in a pooled array the caller returns.</summary>
    private async Task<(byte[] Body, int Length, string? ContentType)> GetAsync(string url, TrackerLimits limits, CancellationToken ct)
    {
        using var whole = CancellationTokenSource.CreateLinkedTokenSource(ct);
        whole.CancelAfter(limits.Completion);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(whole.Token);
        idle.CancelAfter(limits.Receive);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", limits.UserAgent);
        request.Headers.ConnectionClose = false;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
                throw new TrackerFailure(TrackerFailure.InvalidRedirection,
                    response.Headers.Location is null ? $"HTTP {status} redirect without a Location header"
                        : $"too many redirects (more than {MaxRedirects}; last to {response.Headers.Location})");
            if (status != 200)
                throw new TrackerFailure(status, $"HTTP {status} {response.ReasonPhrase}".TrimEnd());
            if (response.Content.Headers.ContentLength is { } declared && declared > limits.MaxResponseBytes)
                throw TooLarge(limits);
            string? contentType = response.Content.Headers.ContentType?.MediaType;
            await using var stream = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= limits.MaxResponseBytes) throw TooLarge(limits);
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limits.MaxResponseBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                idle.CancelAfter(limits.Receive);
                int n = await stream.ReadAsync(buffer.AsMemory(length), idle.Token).ConfigureAwait(false);
                if (n == 0) break;
                length += n;
                if (length > limits.MaxResponseBytes) throw TooLarge(limits);
            }
            var result = (buffer, length, contentType);
            buffer = null!;
            return result;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw whole.IsCancellationRequested
                ? TrackerFailure.Timeout($"after {limits.Completion.TotalSeconds:0} s (tracker_completion_timeout)")
                : TrackerFailure.Timeout($"waiting {limits.Receive.TotalSeconds:0} s for data (tracker_receive_timeout)");
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException se)
        {
            throw SocketFailure(se);
        }
        catch (HttpRequestException e)
        {
            throw new TrackerFailure(TrackerFailure.HttpError, "HTTP error: " + e.Message);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new TrackerFailure(e is InvalidDataException ? TrackerFailure.DecompressFailed : TrackerFailure.HttpError,
                (e is InvalidDataException ? "failed to decompress HTTP response: " : "HTTP read failed: ") + e.Message);
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static TrackerFailure TooLarge(TrackerLimits limits) =>
        new(TrackerFailure.InvalidResponse, $"invalid tracker response: larger than {limits.MaxResponseBytes} bytes (tracker_maximum_response_length)");

    internal static TrackerFailure SocketFailure(SocketException se) => se.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => new(TrackerFailure.HostNotFound, "host not found: " + se.Message),
        SocketError.ConnectionRefused => new(TrackerFailure.ConnectionRefused, "connection refused"),
        SocketError.TimedOut => TrackerFailure.Timeout("connecting"),
        _ => new(se.ErrorCode, se.Message),
    };

    public void Dispose() => _http.Dispose();
}
