// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Tests.Swarm;
using TorrentXT.Engine.Torrents;
using Xunit;

namespace TorrentXT.Engine.Tests.Resume;

/// <summary>
/// Real disk failures under real transfers (tmpfs mounts need root): the torrent goes to an error
/// state (error text, fileError and torrentError, paused), nothing crashes, other torrents carry
/// on, and clearing the error once the cause is fixed continues without losing verified pieces.
/// </summary>
public sealed class DiskFailureTests : TwoSessions
{
    private Torrent Leech(Torrent seed, string savePath) =>
        _leecher.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort)), savePath,
            TorrentFlags.Default & ~(TorrentFlags.AutoManaged | TorrentFlags.Paused)), out _);

    private static List<Alert> Drain(Engine.Session s, List<Alert> into)
    {
        s.Alerts.DrainTo(into);
        return into;
    }

    private static int HavePieces(Torrent t) =>
        t.PieceBitfield() is { } bits ? bits.Sum(b => System.Numerics.BitOperations.PopCount(b)) : 0;

    [Fact]
    public void Disk_full_stops_only_that_torrent_and_clearing_the_error_finishes_it()
    {
        using var tmpfs = new TmpfsMount("size=256k");
        var seed = Seed("v1_single");          // 1 MiB, 65 pieces
        var other = Seed("v1_multi");
        var full = Leech(seed, tmpfs.Path);
        var fine = Leech(other, _leechDir.Path);
        var alerts = new List<Alert>();
        Assert.True(TestTorrents.WaitUntil(() => full.HasError, 30_000), $"the full disk is noticed (state {full.State})");
        var st = full.GetStatus();
        Assert.Contains("No space left on device", st.Error);
        Assert.True(st.IsPaused);
        Assert.True(TestTorrents.WaitUntil(() => Drain(_leecher, alerts).OfType<TorrentErrorAlert>().Any(a => a.Torrent == full)));
        Assert.Contains(alerts, a => a is FileErrorAlert { ErrorCode: 28 } f && f.Torrent == full);
        Assert.True(TestTorrents.WaitUntil(() => fine.State == TorrentState.Seeding, 30_000), "the other torrent is not affected");
        int verified = HavePieces(full);
        Assert.True(verified > 0, "some pieces made it before the disk filled");

        tmpfs.Remount("size=8m");
        full.ClearError();
        Assert.True(TestTorrents.WaitUntil(() => full.State == TorrentState.Seeding, 30_000), $"it continues (state {full.State}, error '{full.Error}')");
        Assert.DoesNotContain(Drain(_leecher, alerts), a => a is StateChangedAlert { State: TorrentState.CheckingFiles } s && s.Torrent == full);
        var expected = File.ReadAllBytes(Path.Combine(_seedDir.Path, "v1_single.bin"));
        Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(tmpfs.Path, "v1_single.bin"))));
    }

    [Fact]
    public void A_read_only_mount_is_an_error_state_not_a_crash()
    {
        using var tmpfs = new TmpfsMount("size=4m,ro");
        var seed = Seed("v1_multi");
        var t = Leech(seed, tmpfs.Path);
        Assert.True(TestTorrents.WaitUntil(() => t.HasError, 30_000), $"state {t.State}");
        Assert.Contains("Read-only file system", t.Error);
        Assert.True(t.IsPaused);
        tmpfs.Remount("rw");
        t.ClearError();
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding, 30_000), $"state {t.State}, error '{t.Error}'");
        AssertSameFilesAt("v1_multi", tmpfs.Path);
    }

    [Fact]
    public void A_save_path_that_is_a_file_is_an_error_state()
    {
        string file = Path.Combine(_leechDir.Path, "i-am-a-file");
        File.WriteAllText(file, "x");
        var seed = Seed("v1_multi");
        var t = Leech(seed, file);
        Assert.True(TestTorrents.WaitUntil(() => t.HasError, 30_000), $"state {t.State}");
        Assert.Contains("Not a directory", t.Error);
        Assert.Equal("x", File.ReadAllText(file));
        File.Delete(file);
        t.ClearError();
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding, 30_000), $"state {t.State}, error '{t.Error}'");
    }

    [Fact]
    public void A_file_deleted_under_a_seed_stops_it_and_restoring_it_lets_it_seed_again()
    {
        var seed = Seed("v1_single");
        var bystander = Seed("v1_multi");
        string file = Path.Combine(_seedDir.Path, "v1_single.bin");
        byte[] content = File.ReadAllBytes(file);
        File.Delete(file);
        var t = Leech(seed, _leechDir.Path);
        Assert.True(TestTorrents.WaitUntil(() => seed.HasError, 30_000), "the seeder notices when a peer asks for the data");
        Assert.Contains("No such file or directory", seed.Error);
        Assert.True(seed.IsPaused);
        Assert.Equal(TorrentState.Seeding, bystander.State);
        Assert.Equal(65, HavePieces(seed)); // nothing verified is forgotten

        File.WriteAllBytes(file, content);
        seed.ClearError();
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding, 30_000),
            $"the leecher completes (state {t.State}, seeder error '{seed.Error}', paused {seed.IsPaused}, connections {seed.GetStatus().NumConnections})");
        Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_leechDir.Path, "v1_single.bin"))));
    }

    [Fact]
    public void A_file_cut_short_under_a_seed_stops_it()
    {
        var seed = Seed("v1_single");
        using (var f = File.OpenWrite(Path.Combine(_seedDir.Path, "v1_single.bin"))) f.SetLength(1000);
        Leech(seed, _leechDir.Path);
        Assert.True(TestTorrents.WaitUntil(() => seed.HasError, 30_000));
        Assert.Contains("End of file", seed.Error);
        Assert.True(seed.IsPaused);
    }

    private void AssertSameFilesAt(string id, string root)
    {
        foreach (var (path, _, _) in Creation.CreationVectors.PayloadFiles(id))
            Assert.True(File.ReadAllBytes(Path.Combine(_seedDir.Path, path)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(root, path))), path);
    }
}

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
