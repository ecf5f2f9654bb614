// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Creation;

/// <summary>
/// Torrent creation failed. <see cref="Exception.Message"/> is the contract's text ("no files at content
/// path", "hashing failed: ..."). When <see cref="IsFirewallText"/> is true the original reported the
/// failure as an escaped libtorrent exception, so the ABI layer prefixes "libtorrent exception: ".
/// </summary>
public sealed class CreateTorrentException : Exception
{
    public CreateTorrentException(string message) : base(message) { }

    public CreateTorrentException(string message, bool isFirewallText) : base(message) => IsFirewallText = isFirewallText;

    /// <summary>True for the texts the original raised as exceptions ("invalid piece size", "missing or invalid 'hash' entry").</summary>
    public bool IsFirewallText { get; }

    internal static CreateTorrentException NoFiles() => new("no files at content path");
    internal static CreateTorrentException HashingFailed(string message) => new("hashing failed: " + message);
    internal static CreateTorrentException InvalidPieceSize() => new("invalid piece size", isFirewallText: true);
    internal static CreateTorrentException BothV1AndV2Only() => new("missing or invalid 'hash' entry", isFirewallText: true);
}
