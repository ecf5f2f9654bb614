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
