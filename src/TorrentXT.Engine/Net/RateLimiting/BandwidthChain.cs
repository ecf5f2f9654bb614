// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Net.RateLimiting;

/// <summary>The buckets one transfer draws from, e.g. session → torrent → peer: a grant needs quota
/// from every one of them. Build one per peer and direction and reuse it.</summary>
public sealed class BandwidthChain
{
    internal readonly BandwidthChannel[] Channels;

    internal BandwidthChain(BandwidthChannel[] channels) => Channels = channels;

    public IReadOnlyList<BandwidthChannel> Buckets => Channels;

    /// <summary>No bucket in the chain limits anything right now.</summary>
    internal bool IsUnlimited
    {
        get
        {
            foreach (var c in Channels) if (!c.IsUnlimited) return false;
            return true;
        }
    }
}
