// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Tests.Swarm;
using TorrentXT.Engine.Torrents;
using Xunit;

namespace TorrentXT.Engine.Tests.Resume;

/// <summary>What a restart from resume data keeps: part-file pieces, completion, and the peers to continue with.</summary>
public sealed class RestartTests : TwoSessions
{
    [Fact]
    public void Part_file_pieces_and_completion_survive_a_restart_and_the_download_continues()
    {
        var seed = Seed("v1_multi");
        var t = _leecher.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort)), _leechDir.Path,
            TorrentFlags.Default & ~(TorrentFlags.AutoManaged | TorrentFlags.Paused)), out _);
        t.SetFilePriority(1, 0); // deep.bin: its boundary pieces' bytes go to the part file
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Finished, 30_000), $"state {t.State}");
        string deep = Path.Combine(_leechDir.Path, "v1_multi", "a", "b", "c", "deep.bin");
        Assert.False(File.Exists(deep));
        Assert.True(File.Exists(Path.Combine(_leechDir.Path, TorrentXT.Engine.Storage.StoragePaths.PartFileName(t.InfoHashes))));
        var before = t.PieceBitfield()!;
        _leecher.SaveResumeData(t, includeInfo: true);
        var alerts = new List<Alert>();
        Assert.True(TestTorrents.WaitUntil(() => { _leecher.Alerts.DrainTo(alerts); return alerts.OfType<ResumeDataReadyAlert>().Any(); }));
        byte[] blob = alerts.OfType<ResumeDataReadyAlert>().Single().Blob;
        _leecher.Dispose();

        using var again = new Engine.Session(SessionTests.LoopbackSettings());
        var back = again.Add(Engine.Resume.ResumeAddParams.Create(Engine.Resume.ResumeDataReader.Parse(blob), null), out _);
        Assert.True(TestTorrents.WaitUntil(() => back.State == TorrentState.Finished), $"state {back.State}");
        alerts.Clear();
        again.Alerts.DrainTo(alerts);
        Assert.DoesNotContain(alerts, a => a is StateChangedAlert { State: TorrentState.CheckingFiles } or FastresumeRejectedAlert);
        Assert.Equal(before, back.PieceBitfield());
        Assert.Equal(0, back.FilePriorities()[1]);

        back.SetFilePriority(1, 4); // the resumed peer list leads back to the seeder
        Assert.True(TestTorrents.WaitUntil(() => back.State == TorrentState.Seeding, 30_000), $"state {back.State}");
        var exp = File.ReadAllBytes(Path.Combine(_seedDir.Path, "v1_multi", "a", "b", "c", "deep.bin"));
        var got = File.ReadAllBytes(deep);
        var bad = Enumerable.Range(0, Math.Min(exp.Length, got.Length)).Where(i => exp[i] != got[i]).ToList();
        Assert.True(bad.Count == 0 && got.Length == exp.Length, $"len {got.Length}/{exp.Length}, first bad {bad.FirstOrDefault()}, last bad {bad.LastOrDefault()}, count {bad.Count}");
        AssertSameFiles("v1_multi");
        Assert.True(back.ForceRecheck());
        Assert.True(TestTorrents.WaitUntil(() => back.State == TorrentState.Seeding, 10_000), "every byte checks");
    }
}
