// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>The picker's memory of one peer: how its pieces were counted, and the pieces in which it
/// has requests outstanding (so its own partial pieces come first and its departure is cheap).</summary>
internal sealed class PeerRecord(IPeerView peer)
{
    public IPeerView Peer { get; } = peer;

    /// <summary>True when its pieces are counted in <see cref="PickerState.Seeds"/> (HAVE ALL).</summary>
    public bool CountedAsSeed;

    /// <summary>True once its bitfield or a HAVE was added to the per-piece availability.</summary>
    public bool CountedPieces;

    /// <summary>False once the peer is gone; pieces it reserved become open to everyone.</summary>
    public bool Connected = true;

    /// <summary>Downloading pieces with at least one request of this peer outstanding.</summary>
    public readonly List<DownloadingPiece> Pieces = new();
}
