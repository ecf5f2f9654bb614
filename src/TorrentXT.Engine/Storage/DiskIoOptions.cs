// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Settings;

namespace TorrentXT.Engine.Storage;

/// <summary>How a <see cref="DiskIoQueue"/> is sized.</summary>
public sealed record DiskIoOptions
{
    /// <summary>Write-back budget unless <c>max_queued_disk_bytes</c> is set explicitly.</summary>
    public const long DefaultWriteBudgetBytes = 16L * 1024 * 1024;

    /// <summary>Upper bound on worker threads, whatever the settings say.</summary>
    public const int MaxThreads = 64;

    /// <summary>min(4, cores): disk work is mostly waiting on the device, a few workers keep it busy
    /// (libtorrent's <c>aio_threads</c> default of 10 is meant for its own thread model).</summary>
    public static int DefaultThreads => Math.Min(4, Environment.ProcessorCount);

    /// <summary>Worker threads running disk jobs.</summary>
    public int Threads { get; init; } = DefaultThreads;

    /// <summary>
    /// Bytes of block buffers that may wait to be written; beyond it writers wait (back-pressure
    /// towards the network) so memory stays flat however fast peers send.
    /// </summary>
    public long WriteBudgetBytes { get; init; } = DefaultWriteBudgetBytes;

    /// <summary>
    /// Options from a settings pack: <c>aio_threads</c> and <c>max_queued_disk_bytes</c> when the
    /// user set them explicitly, else our defaults (libtorrent's 10 threads and 1 MiB are tuned for
    /// its memory-mapped storage).
    /// </summary>
    public static DiskIoOptions FromSettings(SettingsPack settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var o = new DiskIoOptions();
        if (settings.IsExplicitlySet(SettingIds.AioThreads))
            o = o with { Threads = Math.Clamp(settings.GetInt(SettingIds.AioThreads), 1, MaxThreads) };
        if (settings.IsExplicitlySet(SettingIds.MaxQueuedDiskBytes))
            o = o with { WriteBudgetBytes = Math.Max(DiskBufferPool.BlockSize, settings.GetInt(SettingIds.MaxQueuedDiskBytes)) };
        return o;
    }
}
