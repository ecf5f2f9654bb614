// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Picking;

/// <summary>
/// What the picker needs to know about one connected peer. The peer connection implements it; the
/// picker identifies peers by reference and never keeps one after <see cref="PiecePicker.OnPeerGone"/>.
/// </summary>
public interface IPeerView
{
    /// <summary>The pieces the peer has (its BITFIELD plus every HAVE since). Null before it told us
    /// anything, or when it sent HAVE ALL.</summary>
    Bitfield? Pieces { get; }

    /// <summary>True when the peer sent HAVE ALL (BEP 6) and is counted as a seed.</summary>
    bool HasAll { get; }

    /// <summary>True while the peer chokes us: then only its allowed-fast pieces may be requested.</summary>
    bool IsChokingUs { get; }

    /// <summary>The pieces the peer lets us request while it chokes us (BEP 6 ALLOWED FAST); empty when none.</summary>
    IReadOnlyList<int> AllowedFast { get; }

    /// <summary>Payload bytes per second we currently receive from this peer.</summary>
    long DownloadRate { get; }

    /// <summary>True when the peer stopped sending us data it owes us (libtorrent's "snubbed").</summary>
    bool IsSnubbed { get; }
}
