// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Settings;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Tests.Creation;
using Xunit;
using static TorrentXT.Engine.Tests.Storage.StorageVectors;

namespace TorrentXT.Engine.Tests.Storage;

/// <summary>
/// Open files are a bounded, least-recently-used set (<c>file_pool_size</c>): evicted files reopen
/// when needed, files are opened read-only to seed and read-write to download, and closing a
/// torrent or the pool closes every handle.
/// </summary>
public sealed class FileHandlePoolTests
{
    [Fact]
    public void The_pool_never_keeps_more_files_open_than_its_capacity_and_reopens_evicted_ones()
    {
        var info = Load("v1_multi"); // six files with data
        var all = TorrentBytes("v1_multi", info);
        using var dir = new ScratchDir();
        using var pool = new FileHandlePool(2);
        using var storage = new TorrentStorage(info, dir.Path, pool);

        foreach (var (p, o, n) in Blocks(info))
        {
            storage.WriteBlock(p, o, Block(all, info, p, o, n));
            Assert.InRange(pool.OpenHandles, 1, 2);
        }
        long opensAfterWriting = pool.TotalOpens;
        Assert.True(opensAfterWriting >= 6);

        var read = new byte[16384];
        foreach (var (p, o, n) in Blocks(info))
        {
            storage.ReadBlock(p, o, read.AsSpan(0, n));
            Assert.True(Block(all, info, p, o, n).SequenceEqual(read.AsSpan(0, n)));
            Assert.InRange(pool.OpenHandles, 1, 2);
        }
        Assert.True(pool.TotalOpens > opensAfterWriting, "evicted files were opened again");
    }

    [Fact]
    public void Files_are_opened_read_only_to_seed_and_read_write_to_download()
    {
        var info = Load("v1_single");
        var all = TorrentBytes("v1_single", info);
        using var dir = new ScratchDir();
        using var pool = new FileHandlePool();
        using var storage = new TorrentStorage(info, dir.Path, pool);
        WritePiece(storage, all, 0);
        Assert.True(pool.IsOpenForWriting(storage, 0));
        storage.Flush();
        Assert.Null(pool.IsOpenForWriting(storage, 0));

        storage.ReadBlock(0, 0, new byte[16384]);
        Assert.False(pool.IsOpenForWriting(storage, 0));
        WritePiece(storage, all, 1);
        Assert.True(pool.IsOpenForWriting(storage, 0));
        Assert.Equal(1, pool.OpenHandles);
    }

    [Fact]
    public void An_evicted_handle_in_use_stays_open_until_released()
    {
        using var dir = new ScratchDir();
        using var pool = new FileHandlePool(1);
        var owner = new object();
        var a = pool.Acquire(owner, 0, dir["a"], write: true);
        using (pool.Acquire(owner, 1, dir["b"], write: true))
        {
            Assert.Equal(2, pool.OpenHandles); // a was evicted but is still in use
            RandomAccess.Write(a.Handle, new byte[] { 1, 2, 3 }, 0);
            a.Dispose();
            Assert.Equal(1, pool.OpenHandles);
            Assert.True(a.Handle.IsClosed);
        }
        Assert.Equal([1, 2, 3], File.ReadAllBytes(dir["a"]));
    }

    [Fact]
    public void Disposing_storage_closes_its_handles_and_leaves_other_torrents_alone()
    {
        using var dir = new ScratchDir();
        using var pool = new FileHandlePool();
        var one = Load("v1_single");
        var two = Load("private");
        var s1 = new TorrentStorage(one, dir.Path, pool);
        using var s2 = new TorrentStorage(two, dir.Path, pool);
        WritePiece(s1, TorrentBytes("v1_single", one), 0);
        WritePiece(s2, TorrentBytes("private", two), 0);
        Assert.Equal(2, pool.OpenHandles);
        s1.Dispose();
        Assert.Equal(1, pool.OpenHandles);
        Assert.True(pool.IsOpenForWriting(s2, 0));
        pool.Dispose();
        Assert.Equal(0, pool.OpenHandles);
    }

    [Fact]
    public void Shrinking_the_capacity_closes_the_least_recently_used()
    {
        using var dir = new ScratchDir();
        using var pool = new FileHandlePool(4);
        var owner = new object();
        for (int i = 0; i < 4; i++) pool.Acquire(owner, i, dir["f" + i], write: true).Dispose();
        pool.Acquire(owner, 0, dir["f0"], write: false).Dispose(); // f0 is now the most recent
        pool.SetCapacity(1);
        Assert.Equal(1, pool.OpenHandles);
        Assert.NotNull(pool.IsOpenForWriting(owner, 0));
    }

    [Fact]
    public void The_capacity_comes_from_file_pool_size()
    {
        Assert.Equal(40, FileHandlePool.DefaultCapacity);
        var pack = new SettingsPack();
        using (var pool = FileHandlePool.FromSettings(pack)) Assert.Equal(40, pool.Capacity);
        pack.SetInt("file_pool_size", 3);
        using (var pool = FileHandlePool.FromSettings(pack)) Assert.Equal(3, pool.Capacity);
        pack.SetInt("file_pool_size", 0);
        using (var pool = FileHandlePool.FromSettings(pack)) Assert.Equal(1, pool.Capacity);
    }
}
