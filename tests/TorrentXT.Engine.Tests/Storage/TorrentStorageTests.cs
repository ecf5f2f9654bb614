// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Tests.Creation;
using Xunit;
using static TorrentXT.Engine.Tests.Storage.StorageVectors;

namespace TorrentXT.Engine.Tests.Storage;

/// <summary>
/// Downloading into storage: blocks written in any order land in the right files, every piece then
/// checks (by the storage's own streaming check and by the independent on-disk checker), reads give
/// back what was written, pad files stay zeros that never reach the disk, files grow only by what is
/// written and existing bytes are never cut.
/// </summary>
public sealed class TorrentStorageTests
{
    public static IEnumerable<object[]> Ids() => CreationVectors.TorrentIds();

    [Theory]
    [MemberData(nameof(Ids))]
    public void Blocks_written_in_random_order_make_every_piece_check(string id)
    {
        var info = Load(id);
        var all = TorrentBytes(id, info);
        using var dir = new ScratchDir();
        using (var storage = new TorrentStorage(info, dir.Path))
        {
            foreach (var (p, o, n) in Shuffled(info, seed: 1))
                storage.WriteBlock(p, o, Block(all, info, p, o, n));
            Assert.All(AllPieces(info), p => Assert.True(storage.HashPiece(p), $"piece {p}"));
            Assert.Equal(0, storage.StreamingPieces);
            Assert.Equal(AllPieces(info), CheckerPasses(storage));
        }
        foreach (var f in info.Files.Files.Where(f => !f.IsPad && f.Size > 0))
            Assert.Equal(f.Size, new FileInfo(dir[f.Path]).Length);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Reads_return_what_was_written_with_pads_as_zeros(string id)
    {
        var info = Load(id);
        var all = TorrentBytes(id, info);
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        foreach (var (p, o, n) in Shuffled(info, seed: 2))
            storage.WriteBlock(p, o, Block(all, info, p, o, n));

        var buffer = new byte[16 * 1024];
        foreach (var (p, o, n) in Shuffled(info, seed: 3))
        {
            buffer.AsSpan().Fill(0xEE);
            storage.ReadBlock(p, o, buffer.AsSpan(0, n));
            Assert.True(Block(all, info, p, o, n).SequenceEqual(buffer.AsSpan(0, n)), $"piece {p} offset {o}");
        }
    }

    [Theory]
    [InlineData("hybrid_multi")]
    [InlineData("v2_multi")]
    [InlineData("utf8_names")]
    public void Pad_files_never_exist_on_disk(string id)
    {
        var info = Load(id);
        var all = TorrentBytes(id, info);
        using var dir = new ScratchDir();
        using (var storage = new TorrentStorage(info, dir.Path))
            foreach (var (p, o, n) in Blocks(info))
                storage.WriteBlock(p, o, Block(all, info, p, o, n));

        Assert.Contains(info.Files.Files, f => f.IsPad);
        Assert.All(info.Files.Files.Where(f => f.IsPad), f => Assert.False(File.Exists(dir[f.Path]) || Directory.Exists(dir[f.Path])));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories), e => e.Contains("/.pad"));
    }

    [Fact]
    public void Non_zero_pad_bytes_fail_the_piece_and_are_not_stored()
    {
        // hybrid_multi piece 0: A.txt (1000 bytes) then a 15384-byte pad file.
        var info = Load("hybrid_multi");
        var all = TorrentBytes("hybrid_multi", info);
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        var bad = all.AsSpan(0, 16384).ToArray();
        bad[5000] = 1;

        storage.WriteBlock(0, 0, bad);
        Assert.False(storage.HashPiece(0));
        var read = new byte[16384];
        storage.ReadBlock(0, 0, read);
        Assert.True(all.AsSpan(0, 16384).SequenceEqual(read), "pad bytes read back as zeros");

        storage.WriteBlock(0, 0, all.AsSpan(0, 16384));
        Assert.True(storage.HashPiece(0));
    }

    [Fact]
    public void An_in_order_piece_is_checked_from_the_bytes_as_they_were_written()
    {
        // v1: two 8 KiB blocks per 16 KiB piece, written in order, are hashed on the way to disk; a
        // later change on disk behind the storage's back is not read. Out of order, the piece is read back.
        var info = Load("v1_multi");
        var all = TorrentBytes("v1_multi", info);
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        string lastBin = storage.FilePath(FileIndex(info, "last.bin"))!;

        WritePiece(storage, all, 9, blockSize: 8192);
        Corrupt(storage, lastBin);
        Assert.True(storage.HashPiece(9), "streamed");

        storage.WriteBlock(9, 8192, Block(all, info, 9, 8192, 8192));
        storage.WriteBlock(9, 0, Block(all, info, 9, 0, 8192));
        Corrupt(storage, lastBin);
        Assert.False(storage.HashPiece(9), "read back");
    }

    [Fact]
    public void v2_leaves_are_hashed_in_any_order()
    {
        var info = Load("v2_multi"); // 32 KiB pieces: two leaves each
        var all = TorrentBytes("v2_multi", info);
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        storage.WriteBlock(0, 16384, Block(all, info, 0, 16384, 16384));
        storage.WriteBlock(0, 0, Block(all, info, 0, 0, 16384));
        Corrupt(storage, storage.FilePath(FileIndex(info, "one.bin"))!);
        Assert.True(storage.HashPiece(0), "both leaves streamed although out of order");
    }

    [Theory]
    [InlineData("v1_multi")]
    [InlineData("hybrid_multi")]
    [InlineData("v2_multi")]
    public void A_block_written_twice_is_judged_by_what_is_on_disk(string id)
    {
        var info = Load(id);
        var all = TorrentBytes(id, info);
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        int n = Math.Min(16384, info.Files.PieceSize(1));
        var wrong = Block(all, info, 1, 0, n).ToArray();
        wrong[7] ^= 0xFF;

        storage.WriteBlock(1, 0, wrong);
        WritePiece(storage, all, 1);
        Assert.True(storage.HashPiece(1), "the good copy landed last");

        WritePiece(storage, all, 1);
        storage.WriteBlock(1, 0, wrong);
        Assert.False(storage.HashPiece(1), "the bad copy landed last");
    }

    [Fact]
    public void Missing_data_fails_the_check_but_a_read_throws()
    {
        var info = Load("v1_multi");
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        Assert.False(storage.HashPiece(4));
        var e = Assert.Throws<StorageException>(() => storage.ReadBlock(4, 0, new byte[100]));
        Assert.Equal(2, e.ErrorCode); // ENOENT
        Assert.Equal(StorageOperation.Open, e.Operation);
        Assert.StartsWith(dir.Path, e.Path);
    }

    [Fact]
    public void A_read_past_the_bytes_written_reports_end_of_file()
    {
        var info = Load("v1_single");
        var all = TorrentBytes("v1_single", info);
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        WritePiece(storage, all, 0);
        var e = Assert.Throws<StorageException>(() => storage.ReadBlock(3, 0, new byte[16384]));
        Assert.Equal(StorageOperation.Read, e.Operation);
        Assert.Equal("End of file", e.ErrorMessage);
        Assert.Equal(0, e.FileIndex);
    }

    [Fact]
    public void Files_are_sparse_and_grow_only_by_what_is_written()
    {
        var info = Load("v1_single");
        var all = TorrentBytes("v1_single", info);
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        Assert.False(File.Exists(dir["v1_single.bin"]), "nothing before the first write");
        WritePiece(storage, all, 2);
        Assert.Equal(3 * 16384, new FileInfo(dir["v1_single.bin"]).Length);
        var zeros = new byte[16384];
        storage.ReadBlock(0, 0, zeros);
        Assert.All(zeros, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Existing_bytes_are_never_cut_or_replaced_beyond_the_block()
    {
        var info = Load("v1_single");
        var all = TorrentBytes("v1_single", info);
        using var dir = new ScratchDir();
        var existing = new byte[all.Length + 100];
        existing.AsSpan().Fill(0x5A);
        File.WriteAllBytes(dir["v1_single.bin"], existing);
        using (var storage = new TorrentStorage(info, dir.Path))
            WritePiece(storage, all, 1);

        var after = File.ReadAllBytes(dir["v1_single.bin"]);
        Assert.Equal(existing.Length, after.Length);
        Assert.True(all.AsSpan(16384, 16384).SequenceEqual(after.AsSpan(16384, 16384)));
        Assert.All(after.AsSpan(0, 16384).ToArray().Concat(after.AsSpan(32768).ToArray()), b => Assert.Equal(0x5A, b));
    }

    [Fact]
    public void Empty_wanted_files_are_created_on_request_only()
    {
        var info = Load("v1_multi");
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        string empty = dir["v1_multi/a/empty.dat"];
        Assert.False(File.Exists(empty));
        storage.CreateEmptyFiles();
        Assert.True(File.Exists(empty));
        Assert.Equal(0, new FileInfo(empty).Length);
        Assert.False(File.Exists(dir["v1_multi/README.txt"]), "only empty files");
    }

    [Fact]
    public void Blocks_outside_the_piece_are_rejected()
    {
        var info = Load("v1_single"); // last piece is short
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        int last = info.Files.NumPieces - 1;
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.WriteBlock(last, 0, new byte[info.Files.PieceSize(last) + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.WriteBlock(info.Files.NumPieces, 0, new byte[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.ReadBlock(0, -1, new byte[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.HashPiece(-1));
    }

    [Fact]
    public void Flush_closes_every_handle_and_later_io_reopens()
    {
        var info = Load("v1_multi");
        var all = TorrentBytes("v1_multi", info);
        using var dir = new ScratchDir();
        using var pool = new FileHandlePool();
        using var storage = new TorrentStorage(info, dir.Path, pool);
        foreach (var (p, o, n) in Blocks(info)) storage.WriteBlock(p, o, Block(all, info, p, o, n));
        Assert.True(pool.OpenHandles > 0);
        storage.Flush();
        Assert.Equal(0, pool.OpenHandles);
        Assert.All(AllPieces(info), p => Assert.True(storage.HashPiece(p)));
        storage.Dispose();
        Assert.Equal(0, pool.OpenHandles);
        Assert.Throws<ObjectDisposedException>(() => storage.ReadBlock(0, 0, new byte[1]));
    }

    // Flips bytes of a file directly on disk (not through the storage).
    private static void Corrupt(TorrentStorage storage, string path)
    {
        storage.Flush();
        var bytes = File.ReadAllBytes(path);
        for (int i = 0; i < bytes.Length; i += 997) bytes[i] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
