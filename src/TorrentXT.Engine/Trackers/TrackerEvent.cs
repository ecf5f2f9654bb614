// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Trackers;

/// <summary>The announce event; the values are BEP 15's, so the UDP client sends them as they are.</summary>
public enum TrackerEvent
{
    None = 0,
    Completed = 1,
    Started = 2,
    Stopped = 3,
}
