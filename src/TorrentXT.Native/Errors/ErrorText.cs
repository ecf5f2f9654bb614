// SPDX-License-Identifier: MIT
namespace TorrentXT.Native.Errors;

/// <summary>
/// The exact last-error texts of contract Appendix A. Texts that carry the engine's message are
/// prefixes: append the message.
/// </summary>
public static class ErrorText
{
    public const string SessionAlreadyLive = "a session is already live; free it before opening another";
    public const string SessionTableExhausted = "session handle table exhausted";
    public const string TorrentTableExhausted = "torrent handle table exhausted";
    public const string InvalidEngineHandle = "libtorrent returned an invalid handle";
    public const string NoLiveSession = "no live session";

    public const string UnknownIntSetting = "unknown int setting key";
    public const string NotAnIntSetting = "setting key is not an int";
    public const string NullValue = "null value";
    public const string UnknownBoolSetting = "unknown bool setting key";
    public const string NotABoolSetting = "setting key is not a bool";
    public const string UnknownStringSetting = "unknown string setting key";
    public const string NotAStringSetting = "setting key is not a string";
    public const string UnknownSetting = "unknown setting key";

    public const string InfoHashMustBe40Hex = "info-hash must be 40 hex chars";
    public const string BadPort = "bad port";
    public const string NullIpRange = "null ip range";
    public const string BadStartAddress = "bad start address";
    public const string BadEndAddress = "bad end address";
    public const string IpRangeFamilyMismatch = "ip range start/end must be the same family";

    public const string BadTorrentHandle = "bad torrent handle";
    public const string BadSessionTorrentHandle = "bad session/torrent handle";
    public const string NegativePieceIndex = "negative piece index";
    public const string NegativeFileIndex = "negative file index";
    public const string BadPriorityBuffer = "bad priority buffer";
    public const string NullFlags = "null flags";
    public const string EmptySavePath = "empty save path";
    public const string QueueOpRange = "queue op must be 0..3";
    public const string EmptyTrackerUrl = "empty tracker url";
    public const string EmptyUrlSeed = "empty url seed";

    public const string EmptyMagnetUri = "empty magnet URI";
    public const string BadMagnetUriPrefix = "bad magnet URI: ";
    public const string EmptyTorrentBuffer = "empty .torrent buffer";
    public const string InvalidTorrentPrefix = "invalid .torrent: ";
    public const string EmptyResumeBuffer = "empty resume buffer";
    public const string InvalidResumeDataPrefix = "invalid resume data: ";
    public const string AddTorrentFailedPrefix = "add_torrent failed: ";

    public const string BadDhtBootstrap = "bad DHT bootstrap host/port";
    public const string EmptyDhtState = "empty DHT state";
    public const string SeedMustBeEmptyOr64Hex = "seed must be empty or 64 hex chars";
    public const string ValueMustBe0To1000 = "value must be 0..1000 bytes";
    public const string TargetMustBe40Hex = "target must be 40 hex chars";
    public const string PublicKeyMustBe64Hex = "public key must be 64 hex chars";
    public const string SecretKeyMustBe128Hex = "secret key must be 128 hex chars";
    public const string SaltTooLong = "salt must be at most 64 bytes";
    public const string SecretKeyNotForPublicKey = "secret key does not belong to the public key";
    public const string InvalidDhtStatePrefix = "invalid DHT state: ";

    public const string EmptyContentPath = "empty content path";
    public const string NoFilesAtContentPath = "no files at content path";
    public const string HashingFailedPrefix = "hashing failed: ";

    // Record lists stop at 65,535 entries (the count is a u16); the last error says which list.
    public const string PeerListTruncated = "peer list truncated at 65535 entries";
    public const string FileListTruncated = "file list truncated at 65535 entries";
    public const string TrackerListTruncated = "tracker list truncated at 65535 entries";
    public const string UrlSeedListTruncated = "url seed list truncated at 65535 entries";

    /// <summary>What the firewall puts before a caught exception's message (§1.8).</summary>
    public const string ExceptionPrefix = "libtorrent exception: ";
}
