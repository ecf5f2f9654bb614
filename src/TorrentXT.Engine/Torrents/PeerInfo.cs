// SPDX-License-Identifier: MIT
using System.Net;

namespace TorrentXT.Engine.Torrents;

/// <summary>libtorrent's peer_info flags (the bits the C ABI passes on unchanged).</summary>
[Flags]
public enum PeerInfoFlags
{
    None = 0,
    /// <summary>We are interested in the peer.</summary>
    Interesting = 0x1,
    /// <summary>We choke the peer.</summary>
    Choked = 0x2,
    RemoteInterested = 0x4,
    /// <summary>The peer chokes us.</summary>
    RemoteChoked = 0x8,
    SupportsExtensions = 0x10,
    OutgoingConnection = 0x20,
    Seed = 0x400,
    /// <summary>The connection is MSE-encrypted with RC4.</summary>
    Rc4Encrypted = 0x80000,
    /// <summary>The connection used the MSE handshake and then continued in plaintext.</summary>
    PlaintextEncrypted = 0x100000,
}

/// <summary>One connected peer of a torrent, as the peer list reports it.</summary>
public readonly record struct PeerInfo(IPEndPoint Endpoint, string Client, long DownloadRate, long UploadRate, float Progress, PeerInfoFlags Flags);
