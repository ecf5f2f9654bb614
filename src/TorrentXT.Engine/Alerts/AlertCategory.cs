// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Alerts;

/// <summary>libtorrent's alert categories (the <c>alert_mask</c> setting's bits).</summary>
[Flags]
public enum AlertCategory : uint
{
    None = 0,
    Error = 1,
    Peer = 2,
    PortMapping = 4,
    Storage = 8,
    Tracker = 16,
    Connect = 32,
    Status = 64,
    IpBlock = 256,
    PerformanceWarning = 512,
    Dht = 1024,
    Stats = 2048,
    FileProgress = 2097152,
    PieceProgress = 4194304,
}
