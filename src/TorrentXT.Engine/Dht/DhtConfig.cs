// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Settings;

namespace TorrentXT.Engine.Dht;

/// <summary>
/// The DHT's tunables, named after libtorrent's settings. The session copies them from its
/// <see cref="SettingsPack"/> whenever a setting changes, so they apply live; tests set them directly.
/// </summary>
public sealed class DhtConfig
{
    public int SearchBranching { get; set; } = 5;
    public int MaxFailCount { get; set; } = 20;
    public int MaxTorrents { get; set; } = 2000;
    public int MaxPeers { get; set; } = 500;
    public int MaxPeersReply { get; set; } = 100;
    public int MaxItems { get; set; } = 700;
    /// <summary>Seconds an item is kept without a refresh; 0 means libtorrent's 2 hours.</summary>
    public int ItemLifetime { get; set; }
    public int UploadRateLimit { get; set; } = 8000;
    public int BlockRateLimit { get; set; } = 5;
    public int BlockTimeout { get; set; } = 300;
    public bool RestrictRoutingIps { get; set; } = true;
    public bool RestrictSearchIps { get; set; } = true;
    public bool EnforceNodeId { get; set; }
    public bool ReadOnly { get; set; }
    /// <summary>How long a request may stay unanswered before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(4);
    /// <summary>After this, a lookup stops waiting for a request and sends another one (libtorrent's short timeout).</summary>
    public TimeSpan SlowRequest { get; set; } = TimeSpan.FromSeconds(1);

    public static DhtConfig From(SettingsPack s)
    {
        var c = new DhtConfig();
        c.Update(s);
        return c;
    }

    public void Update(SettingsPack s)
    {
        SearchBranching = Math.Max(1, s.GetInt(SettingIds.DhtSearchBranching));
        MaxFailCount = Math.Max(1, s.GetInt(SettingIds.DhtMaxFailCount));
        MaxTorrents = Math.Max(0, s.GetInt(SettingIds.DhtMaxTorrents));
        MaxPeers = Math.Max(0, s.GetInt(SettingIds.DhtMaxPeers));
        MaxPeersReply = Math.Max(0, s.GetInt(SettingIds.DhtMaxPeersReply));
        MaxItems = Math.Max(0, s.GetInt(SettingIds.DhtMaxDhtItems));
        ItemLifetime = Math.Max(0, s.GetInt(SettingIds.DhtItemLifetime));
        UploadRateLimit = s.GetInt(SettingIds.DhtUploadRateLimit);
        BlockRateLimit = s.GetInt(SettingIds.DhtBlockRatelimit);
        BlockTimeout = Math.Max(0, s.GetInt(SettingIds.DhtBlockTimeout));
        RestrictRoutingIps = s.GetBool(SettingIds.DhtRestrictRoutingIps);
        RestrictSearchIps = s.GetBool(SettingIds.DhtRestrictSearchIps);
        EnforceNodeId = s.GetBool(SettingIds.DhtEnforceNodeId);
        ReadOnly = s.GetBool(SettingIds.DhtReadOnly);
    }
}
