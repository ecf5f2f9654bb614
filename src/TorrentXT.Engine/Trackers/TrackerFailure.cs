// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Trackers;

/// <summary>
/// A failed tracker exchange. <see cref="Code"/> is the error value the trackerError alert carries
/// (libtorrent's numbering where one exists: 36 timed out, 173 failure reason, an HTTP status, an
/// errno), and the message says what went wrong in plain words.
/// </summary>
public sealed class TrackerFailure(int code, string message, int retryIn = 0) : Exception(message)
{
    public int Code { get; } = code;
    /// <summary>Seconds the tracker asked us to wait before retrying (BEP 31 "retry in"), or 0.</summary>
    public int RetryIn { get; } = retryIn;

    // Error values as libtorrent numbers them, so apps that switch on them keep working.
    public const int TimedOut = 36;
    public const int HttpError = 83;
    public const int InvalidRedirection = 85;
    public const int DecompressFailed = 152;
    public const int ScrapeNotAvailable = 170;
    public const int InvalidResponse = 171;
    public const int FailureReason = 173;
    public const int UdpInvalidSize = 177;
    public const int UdpBadTransaction = 178;
    public const int UdpBadAction = 179;
    public const int HostNotFound = 1;
    public const int ConnectionRefused = 111;
    public const int NotSupported = 95;

    public static TrackerFailure Timeout(string what) => new(TimedOut, "timed out " + what);
}
