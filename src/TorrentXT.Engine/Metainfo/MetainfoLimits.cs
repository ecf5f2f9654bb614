// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>Bounds applied while loading metainfo; the defaults are libtorrent's load_torrent_limits.</summary>
public sealed record MetainfoLimits
{
    public int MaxBufferSize { get; init; } = 10_000_000;
    public int MaxDecodeDepth { get; init; } = 100;
    public int MaxDecodeTokens { get; init; } = 3_000_000;
    public int MaxPieces { get; init; } = 0x200000;

    public static MetainfoLimits Default { get; } = new();
}
