// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Tests.Swarm;
using TorrentXT.Engine.Torrents;
using Xunit;

namespace TorrentXT.Engine.Tests.Resume;

/// <summary>A storage move in the middle of a download: the torrent stays usable and finishes at the new path.</summary>
public sealed class MoveWhileDownloadingTests : TwoSessions
{
    [Fact]
    public void A_torrent_moved_mid_download_finishes_at_the_new_path()
    {
        var seed = Seed("v1_single");
        string first = Path.Combine(_leechDir.Path, "first"), second = Path.Combine(_leechDir.Path, "second");
        var t = _leecher.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort)), first,
            TorrentFlags.Default & ~(TorrentFlags.AutoManaged | TorrentFlags.Paused)), out _);
        Assert.True(TestTorrents.WaitUntil(() => t.HasMetadata && t.State is TorrentState.Downloading or TorrentState.Seeding, 30_000));
        _leecher.MoveStorage(t, second);
        var alerts = new List<Alert>();
        Assert.True(TestTorrents.WaitUntil(() => { _leecher.Alerts.DrainTo(alerts); return alerts.OfType<StorageMovedAlert>().Any(); }));
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding, 30_000), $"state {t.State}");
        Assert.Equal(second, t.SavePath);
        var expected = File.ReadAllBytes(Path.Combine(_seedDir.Path, "v1_single.bin"));
        Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, "v1_single.bin"))));
        Assert.False(File.Exists(Path.Combine(first, "v1_single.bin")));
        Assert.True(t.ForceRecheck());
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding, 10_000));
    }
}
