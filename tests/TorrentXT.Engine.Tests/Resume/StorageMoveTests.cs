// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Tests.Creation;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Torrents;
using Xunit;
using EngineSession = TorrentXT.Engine.Session;

namespace TorrentXT.Engine.Tests.Resume;

/// <summary>move_storage on one filesystem and across two (a tmpfs), its all-or-nothing failures, and delete-files removal.</summary>
public sealed class StorageMoveTests : IDisposable
{
    private readonly EngineSession _session = new(SessionTests.LoopbackSettings());
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _session.Dispose();
        _dir.Dispose();
    }

    private Torrent Seeding(string id, string at)
    {
        TestTorrents.WritePayload(id, at);
        var t = _session.Add(AddTorrentParams.FromTorrent(TestTorrents.Load(id), at, TorrentFlags.Default & ~TorrentFlags.AutoManaged), out _);
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding));
        return t;
    }

    private List<Alert> WaitFor(Func<List<Alert>, bool> done)
    {
        var seen = new List<Alert>();
        TestTorrents.WaitUntil(() => { _session.Alerts.DrainTo(seen); return done(seen); }, 15_000);
        return seen;
    }

    private static void AssertPayloadAt(string id, string root, bool present)
    {
        foreach (var (path, size, seed) in CreationVectors.PayloadFiles(id))
        {
            string full = Path.Combine(root, path);
            Assert.Equal(present, File.Exists(full));
            if (present) Assert.True(CreationVectors.Payload(seed, size).AsSpan().SequenceEqual(File.ReadAllBytes(full)), path);
        }
    }

    [Fact]
    public void A_move_on_one_filesystem_renames_and_the_torrent_keeps_seeding()
    {
        string from = Path.Combine(_dir.Path, "a"), to = Path.Combine(_dir.Path, "b", "c");
        var t = Seeding("hybrid_multi", from);
        File.WriteAllText(Path.Combine(from, "not-mine.txt"), "stays");
        _session.MoveStorage(t, to);
        var moved = WaitFor(a => a.OfType<StorageMovedAlert>().Any()).OfType<StorageMovedAlert>().Single();
        Assert.Equal((from, to), (moved.OldPath, moved.NewPath));
        Assert.Equal(to, t.SavePath);
        AssertPayloadAt("hybrid_multi", to, present: true);
        AssertPayloadAt("hybrid_multi", from, present: false);
        Assert.False(Directory.Exists(Path.Combine(from, "hybrid_multi")), "the torrent's emptied directories go");
        Assert.True(File.Exists(Path.Combine(from, "not-mine.txt")), "nothing else is touched");
        Assert.True(t.ForceRecheck());
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding), "the data checks at the new place");
    }

    [Fact]
    public void A_move_across_filesystems_copies_verifies_and_deletes()
    {
        using var tmpfs = new TmpfsMount("size=8m");
        string from = Path.Combine(_dir.Path, "src"), to = Path.Combine(tmpfs.Path, "dst");
        var t = Seeding("v1_multi", from);
        _session.MoveStorage(t, to);
        Assert.Single(WaitFor(a => a.OfType<StorageMovedAlert>().Any()).OfType<StorageMovedAlert>());
        AssertPayloadAt("v1_multi", to, present: true);
        AssertPayloadAt("v1_multi", from, present: false);
        Assert.Equal(to, t.GetStatus().SavePath);
    }

    [Fact]
    public void A_move_that_runs_out_of_space_leaves_the_originals_and_the_path()
    {
        using var tmpfs = new TmpfsMount("size=64k");
        string from = Path.Combine(_dir.Path, "src"), to = Path.Combine(tmpfs.Path, "dst");
        var t = Seeding("v1_single", from); // 1 MiB: does not fit in 64 KiB
        _session.MoveStorage(t, to);
        var seen = WaitFor(a => a.OfType<FileErrorAlert>().Any());
        var error = Assert.Single(seen.OfType<FileErrorAlert>());
        Assert.Equal(28, error.ErrorCode); // ENOSPC
        Assert.DoesNotContain(seen, a => a is StorageMovedAlert);
        Assert.Equal(from, t.SavePath);
        AssertPayloadAt("v1_single", from, present: true);
        Assert.False(Directory.Exists(to), "the half copy and the directories made for it are gone");
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding && !t.HasError), "still usable");
    }

    [Fact]
    public void A_move_onto_a_file_fails_with_file_error_and_changes_nothing()
    {
        string from = Path.Combine(_dir.Path, "src"), blocker = Path.Combine(_dir.Path, "file");
        File.WriteAllText(blocker, "x");
        var t = Seeding("v1_multi", from);
        _session.MoveStorage(t, Path.Combine(blocker, "sub"));
        var error = Assert.Single(WaitFor(a => a.OfType<FileErrorAlert>().Any()).OfType<FileErrorAlert>());
        Assert.Equal(20, error.ErrorCode); // ENOTDIR
        Assert.Equal(from, t.SavePath);
        AssertPayloadAt("v1_multi", from, present: true);
    }

    [Fact]
    public void The_mover_undoes_renames_when_a_later_file_fails()
    {
        string from = Path.Combine(_dir.Path, "from"), to = Path.Combine(_dir.Path, "to");
        Directory.CreateDirectory(Path.Combine(from, "d"));
        File.WriteAllText(Path.Combine(from, "a.bin"), "a");
        File.WriteAllText(Path.Combine(from, "d", "b.bin"), "b");
        Directory.CreateDirectory(to);
        File.WriteAllText(Path.Combine(to, "d"), "a file where the directory 'd' must go");
        Assert.Throws<StorageException>(() => StorageMover.Move(new[] { "a.bin", "d/b.bin" }, from, to));
        Assert.Equal("a", File.ReadAllText(Path.Combine(from, "a.bin")));
        Assert.Equal("b", File.ReadAllText(Path.Combine(from, "d", "b.bin")));
        Assert.False(File.Exists(Path.Combine(to, "a.bin")));
    }

    [Fact]
    public void Removing_with_delete_files_removes_exactly_what_the_torrent_owns()
    {
        string root = Path.Combine(_dir.Path, "r");
        var t = Seeding("hybrid_multi", root);
        File.WriteAllText(Path.Combine(root, "hybrid_multi", "a", "extra.txt"), "not the torrent's");
        string part = Path.Combine(root, StoragePaths.PartFileName(t.InfoHashes));
        File.WriteAllText(part, "the torrent's part file");
        _session.Remove(t, deleteFiles: true);
        WaitFor(a => a.OfType<TorrentRemovedAlert>().Any());
        AssertPayloadAt("hybrid_multi", root, present: false);
        Assert.False(File.Exists(part));
        Assert.True(File.Exists(Path.Combine(root, "hybrid_multi", "a", "extra.txt")));
        Assert.False(Directory.Exists(Path.Combine(root, "hybrid_multi", "b")), "emptied directories go");
        Assert.True(Directory.Exists(root), "the save path itself stays");
    }
}
