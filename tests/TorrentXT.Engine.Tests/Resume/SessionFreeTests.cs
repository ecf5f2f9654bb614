// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Tests.Swarm;
using TorrentXT.Engine.Torrents;
using Xunit;

namespace TorrentXT.Engine.Tests.Resume;

/// <summary>Freeing a session in the middle of a download: bounded, and every file is closed.</summary>
public sealed class SessionFreeTests : TwoSessions
{
    [Fact]
    public void Freeing_a_session_mid_download_is_prompt_and_closes_every_file()
    {
        var seed = Seed("v1_single");
        var t = _leecher.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort)), _leechDir.Path,
            TorrentFlags.Default & ~(TorrentFlags.AutoManaged | TorrentFlags.Paused)), out _);
        Assert.True(TestTorrents.WaitUntil(() => t.GetStatus().TotalDone > 0 || t.State == TorrentState.Seeding, 30_000));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        _leecher.Dispose();
        Assert.True(sw.ElapsedMilliseconds < 6000, $"took {sw.ElapsedMilliseconds} ms");
        var open = Directory.GetFiles("/proc/self/fd").Select(fd =>
        {
            try { return new FileInfo(fd).LinkTarget ?? ""; } catch (IOException) { return ""; }
        }).Where(target => target.StartsWith(_leechDir.Path, StringComparison.Ordinal)).ToList();
        Assert.Empty(open);
    }
}
