// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Settings;

namespace TorrentXT.Engine.Trackers;

/// <summary>What one announce tells a tracker (BEP 3 / BEP 15 parameters).</summary>
public sealed class AnnounceRequest
{
    public required byte[] InfoHash { get; init; }   // 20 bytes: v1, or v2 truncated
    public required byte[] PeerId { get; init; }     // 20 bytes
    public int Port { get; init; }
    public long Uploaded { get; init; }
    public long Downloaded { get; init; }
    public long Left { get; init; }
    public TrackerEvent Event { get; init; }
    public uint Key { get; init; }
    public int NumWant { get; init; } = 200;
    public string? TrackerId { get; init; }
}

/// <summary>The timeouts and limits of one tracker exchange, read from the settings when it starts.</summary>
public readonly record struct TrackerLimits(TimeSpan Completion, TimeSpan Receive, int MaxResponseBytes, string UserAgent)
{
    public static TrackerLimits FromSettings(SettingsPack s, bool stopping = false) => new(
        TimeSpan.FromSeconds(Math.Max(1, stopping ? s.GetInt(SettingIds.StopTrackerTimeout) : s.GetInt(SettingIds.TrackerCompletionTimeout))),
        TimeSpan.FromSeconds(Math.Max(1, s.GetInt(SettingIds.TrackerReceiveTimeout))),
        Math.Max(1024, s.GetInt(SettingIds.TrackerMaximumResponseLength)),
        s.GetString(SettingIds.UserAgent));
}
