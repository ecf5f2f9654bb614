// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Bencoding;

/// <summary>Decoder limits; the defaults are libtorrent 2.0's for .torrent files.</summary>
public readonly record struct BencodeLimits(int MaxDepth = 100, int MaxTokens = 3_000_000)
{
    public static BencodeLimits Default => new(100, 3_000_000);
}
