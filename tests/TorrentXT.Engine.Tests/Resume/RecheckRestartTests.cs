// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Resume;
using TorrentXT.Engine.Tests.Creation;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Torrents;
using Xunit;
using EngineSession = TorrentXT.Engine.Session;

namespace TorrentXT.Engine.Tests.Resume;

/// <summary>A recheck still running when resume data is saved is redone after a restart.</summary>
public sealed class RecheckRestartTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_blob_saved_during_a_check_claims_nothing_and_the_restart_checks_again()
    {
        var info = TestTorrents.Load("v1_single");
        TestTorrents.WritePayload("v1_single", _dir.Path);
        byte[] blob;
        using (var s = new EngineSession(SessionTests.LoopbackSettings()))
        {
            var t = s.Add(AddTorrentParams.FromTorrent(info, _dir.Path, TorrentFlags.Paused), out _);
            Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding));
            using var gate = new ManualResetEventSlim();
            s.OnDiskWorker(() => gate.Wait(10_000)); // holds the recheck back until the blob is taken
            t.ForceRecheck(); // state: checking again
            var data = t.CaptureResume(includeInfo: true, queuePosition: -1);
            gate.Set();
            blob = ResumeDataWriter.Write(data);
        }
        var r = ResumeDataReader.Parse(blob);
        Assert.False(r.HasPieceState);
        using var again = new EngineSession(SessionTests.LoopbackSettings());
        var back = again.Add(ResumeAddParams.Create(r, null), out _);
        var seen = new List<Alert>();
        Assert.True(TestTorrents.WaitUntil(() => { again.Alerts.DrainTo(seen); return back.State == TorrentState.Seeding; }));
        Assert.Contains(seen, a => a is StateChangedAlert { State: TorrentState.CheckingFiles });
    }
}
