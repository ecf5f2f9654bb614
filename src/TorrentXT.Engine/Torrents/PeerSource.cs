// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Torrents;

/// <summary>Where a peer's address came from (libtorrent's peer_source_flags bit values).</summary>
[Flags]
public enum PeerSource
{
    None = 0,
    Tracker = 1,
    Dht = 2,
    Pex = 4,
    Lsd = 8,
    ResumeData = 16,
    Incoming = 32,
}
