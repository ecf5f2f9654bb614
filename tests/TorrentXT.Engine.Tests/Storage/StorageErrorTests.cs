// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Tests.Creation;
using Xunit;
using static TorrentXT.Engine.Tests.Storage.StorageVectors;

namespace TorrentXT.Engine.Tests.Storage;

/// <summary>
/// Disk failures surface as <see cref="StorageException"/> with the path, the operation and the OS
/// error (errno and text), and nothing is ever written outside the save path.
/// </summary>
public sealed class StorageErrorTests
{
    private const int ENOENT = 2, EACCES = 13, ENOTDIR = 20, ENOSPC = 28;

    [Fact]
    public void A_save_path_that_is_a_file_gives_not_a_directory()
    {
        var info = Load("v1_multi");
        using var dir = new ScratchDir();
        string save = dir["not-a-dir"];
        File.WriteAllBytes(save, [1, 2, 3]);
        using var storage = new TorrentStorage(info, save);

        var e = Assert.Throws<StorageException>(() => storage.WriteBlock(0, 0, new byte[16384]));
        Assert.Equal(ENOTDIR, e.ErrorCode);
        Assert.Equal("Not a directory", e.ErrorMessage);
        Assert.Equal(StorageOperation.CreateDirectory, e.Operation);
        Assert.StartsWith(save, e.Path);
        Assert.Equal(0, e.FileIndex);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(save));
    }

    [Fact]
    public void A_directory_that_cannot_be_written_gives_a_storage_error()
    {
        var info = Load("v1_multi");
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        string blocked = dir["v1_multi/a"]; // deep.bin (piece 0 onwards) lives below it
        if (RunningAsRoot())
        {
            // Root writes into a 0555 directory anyway; a file where the directory should be stops it.
            Directory.CreateDirectory(dir["v1_multi"]);
            File.WriteAllBytes(blocked, [9]);
            var e = Assert.Throws<StorageException>(() => storage.WriteBlock(0, 0, new byte[16384]));
            Assert.Equal(ENOTDIR, e.ErrorCode);
            Assert.Equal(1, e.FileIndex);
            Assert.Equal([9], File.ReadAllBytes(blocked));
        }
        else
        {
            Directory.CreateDirectory(blocked);
            Chmod(blocked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            try
            {
                var e = Assert.Throws<StorageException>(() => storage.WriteBlock(0, 0, new byte[16384]));
                Assert.Equal(EACCES, e.ErrorCode);
                Assert.Equal("Permission denied", e.ErrorMessage);
                Assert.Equal(1, e.FileIndex);
            }
            finally { Chmod(blocked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); }
        }
        // README.txt (the first 1000 bytes of piece 0) was written before the failure; nothing is undone or hidden.
        Assert.True(File.Exists(dir["v1_multi/README.txt"]));
    }

    [Fact]
    public void A_part_file_that_cannot_be_created_gives_a_storage_error()
    {
        var info = Load("v1_multi");
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path, filePriorities: SkipFiles(info, "odd.bin"));
        Directory.CreateDirectory(storage.PartFilePath); // a directory in the part file's place
        var e = Assert.Throws<StorageException>(() => storage.WriteBlock(2, 0, new byte[16384]));
        Assert.Equal(storage.PartFilePath, e.Path);
        Assert.Equal(StorageOperation.Open, e.Operation);
        Assert.Equal(21, e.ErrorCode); // EISDIR
    }

    [Fact]
    public void Os_errors_keep_their_errno_and_text()
    {
        var full = OsErrors.ToStorage(new IOException("disk full", ENOSPC), "/x/y", StorageOperation.Write, 3);
        Assert.Equal(ENOSPC, full.ErrorCode);
        Assert.Equal("No space left on device", full.ErrorMessage);
        Assert.Equal(StorageOperation.Write, full.Operation);
        Assert.Equal(3, full.FileIndex);
        Assert.Equal("/x/y", full.Path);
        Assert.Contains("No space left on device", full.Message);

        Assert.Equal(ENOENT, OsErrors.ToStorage(new FileNotFoundException(), "/nope", StorageOperation.Open).ErrorCode);
        Assert.Equal(EACCES, OsErrors.ToStorage(new UnauthorizedAccessException(), "/nope", StorageOperation.Open).ErrorCode);
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a/../../evil")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    public void Paths_that_would_leave_the_save_path_are_refused(string relative)
    {
        using var dir = new ScratchDir();
        var e = Assert.Throws<StorageException>(() => StoragePaths.Resolve(dir.Path, relative, 4));
        Assert.Equal(StorageOperation.ResolvePath, e.Operation);
        Assert.Equal(4, e.FileIndex);
    }

    [Fact]
    public void A_hostile_torrent_path_is_written_inside_the_save_path()
    {
        // The parser repairs "../" the way libtorrent does; storage then joins under the save path and checks again.
        var payload = "hello"u8.ToArray();
        var files = new BList();
        var path = new BList { "..", "..", "evil.txt" };
        files.Add(new BDict { { "length", payload.Length }, { "path", path } });
        var infoDict = new BDict
        {
            { "files", files },
            { "name", "t" },
            { "piece length", 16384 },
            { "pieces", System.Security.Cryptography.SHA1.HashData(payload) },
        };
        var torrent = BencodeWriter.Encode(new BDict { { "info", infoDict } });
        var info = TorrentInfo.Load(torrent);

        using var dir = new ScratchDir();
        string save = Path.Combine(dir.Path, "save");
        using (var storage = new TorrentStorage(info, save))
        {
            storage.WriteBlock(0, 0, payload);
            Assert.True(storage.HashPiece(0));
            Assert.StartsWith(save + "/", storage.FilePath(0));
        }
        Assert.Equal([Path.Combine(dir.Path, "save")], Directory.GetDirectories(dir.Path));
        Assert.Single(Directory.GetFiles(save, "*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(dir.Path, "evil.txt")));
    }
}
