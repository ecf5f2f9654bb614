// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Security.Cryptography;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Tests.Creation;
using Xunit;
using static TorrentXT.Engine.Tests.Storage.StorageVectors;

namespace TorrentXT.Engine.Tests.Storage;

/// <summary>
/// Files at priority 0 are never created: the bytes of theirs that share a piece with wanted files
/// go to libtorrent's part file ".&lt;info-hash&gt;.parts", from which they are checked, served, and
/// moved into the file when it becomes wanted. The part file is byte-for-byte what libtorrent 2.0.8
/// writes for the same pieces.
/// </summary>
public sealed class PartFileTests
{
    [Fact]
    public void A_skipped_file_is_not_created_and_its_boundary_pieces_live_in_the_part_file()
    {
        // v1_multi: a/odd.bin (41000..57385) shares piece 2 with deep.bin and piece 3 with Z.bin and x.bin.
        var info = Load("v1_multi");
        var all = TorrentBytes("v1_multi", info);
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path, filePriorities: SkipFiles(info, "odd.bin"));
        foreach (var (p, o, n) in Shuffled(info, seed: 4)) storage.WriteBlock(p, o, Block(all, info, p, o, n));

        Assert.False(File.Exists(dir["v1_multi/a/odd.bin"]));
        Assert.Equal(dir[".1064116460d5152a3521c6d483f14b1955e9bbdf.parts"], storage.PartFilePath);
        Assert.True(File.Exists(storage.PartFilePath));
        Assert.All(AllPieces(info), p => Assert.True(storage.HashPiece(p), $"piece {p}"));
        foreach (int piece in new[] { 2, 3 })
        {
            var read = new byte[16384];
            storage.ReadBlock(piece, 0, read);
            Assert.True(Block(all, info, piece, 0, 16384).SequenceEqual(read), $"piece {piece} served from the part file");
        }
        Assert.Equal([0, 1, 4, 5, 6, 7, 8, 9, 10], CheckerPasses(storage));
    }

    [Fact]
    public void A_skipped_file_wanted_after_a_flush_gets_its_bytes_from_the_part_file()
    {
        // A finished download flushes (and closes) the part file; raising the file's priority later
        // must still read the part file back into the file.
        var info = Load("v1_multi");
        var all = TorrentBytes("v1_multi", info);
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path, filePriorities: SkipFiles(info, "odd.bin"));
        foreach (var (p, o, n) in Shuffled(info, seed: 5)) storage.WriteBlock(p, o, Block(all, info, p, o, n));
        storage.Flush();

        storage.ApplyFilePriorities(Enumerable.Repeat((byte)4, info.Files.Files.Count).ToArray());

        Assert.True(File.Exists(dir["v1_multi/a/odd.bin"]));
        Assert.All(AllPieces(info), p => Assert.True(storage.HashPiece(p), $"piece {p}"));
    }

    [Fact]
    public void The_part_file_matches_libtorrents_for_a_skipped_v1_file()
    {
        // libtorrent 2.0.8, v1_multi with file_priorities [1,1,1,0,1,1,1] and every piece added with
        // add_piece(): it put piece 3 in slot 0 and piece 2 in slot 1, and wrote this file.
        var info = Load("v1_multi");
        var all = TorrentBytes("v1_multi", info);
        using var dir = new ScratchDir();
        using (var storage = new TorrentStorage(info, dir.Path, filePriorities: SkipFiles(info, "odd.bin")))
            foreach (int piece in new[] { 3, 2, 0, 1, 4, 5, 6, 7, 8, 9, 10 }) WritePiece(storage, all, piece);

        var bytes = File.ReadAllBytes(dir[".1064116460d5152a3521c6d483f14b1955e9bbdf.parts"]);
        Assert.Equal(33792, bytes.Length); // 1 KiB header + 2 slots of 16 KiB
        Assert.Equal(11u, BinaryPrimitives.ReadUInt32BigEndian(bytes));
        Assert.Equal(16384u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4)));
        Assert.Equal("7140a70e69c06aab03973595541b1bdc57812532a3e52000b78d47dfd6fbc2ea", Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void The_part_file_matches_libtorrents_for_a_skipped_hybrid_file()
    {
        // libtorrent 2.0.8, hybrid_multi with a/big.bin at priority 0: all of big.bin's pieces (1..7)
        // went to the part file, in slots 0, 6, 1, 2, 3, 4, 5; pad bytes were not stored. The name
        // uses the v2 info-hash cut to 20 bytes (info_hash_t::get_best()), not the v1 one.
        var info = Load("hybrid_multi");
        var all = TorrentBytes("hybrid_multi", info);
        using var dir = new ScratchDir();
        using (var storage = new TorrentStorage(info, dir.Path, filePriorities: SkipFiles(info, "big.bin")))
            foreach (int piece in new[] { 1, 3, 4, 5, 6, 7, 2, 0, 8, 9, 10, 11, 12 }) WritePiece(storage, all, piece);

        var bytes = File.ReadAllBytes(dir[".9c730b3a36e6689a45c43cfca5fae84864e53046.parts"]);
        Assert.Equal(115712, bytes.Length);
        Assert.Equal("ce100477c66503cd331d91e8b0d9d35d65e2d6b59d173aa3c2644897673be0b0", Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.False(File.Exists(dir["hybrid_multi/a/big.bin"]));
    }

    [Fact]
    public void A_v2_torrent_names_its_part_file_after_the_truncated_v2_hash()
    {
        var info = Load("v2_multi");
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        Assert.Equal(dir[".1c10bc07c9402d4ec3c7c740fac2a3cd47a7741d.parts"], storage.PartFilePath);
        Assert.False(File.Exists(storage.PartFilePath), "created only when needed");
    }

    [Fact]
    public void The_part_file_survives_a_restart()
    {
        var info = Load("v1_multi");
        var all = TorrentBytes("v1_multi", info);
        var prios = SkipFiles(info, "odd.bin");
        using var dir = new ScratchDir();
        using (var storage = new TorrentStorage(info, dir.Path, filePriorities: prios))
            foreach (var (p, o, n) in Blocks(info)) storage.WriteBlock(p, o, Block(all, info, p, o, n));

        using var again = new TorrentStorage(info, dir.Path, filePriorities: prios);
        Assert.True(again.UsesPartFile(FileIndex(info, "odd.bin")));
        Assert.True(again.HashPiece(2));
        Assert.True(again.HashPiece(3));
        var read = new byte[16384];
        again.ReadBlock(3, 0, read);
        Assert.True(Block(all, info, 3, 0, 16384).SequenceEqual(read));
    }

    [Fact]
    public void Wanting_the_file_again_moves_its_bytes_out_of_the_part_file()
    {
        var info = Load("v1_multi");
        var all = TorrentBytes("v1_multi", info);
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path, filePriorities: SkipFiles(info, "odd.bin"));
        foreach (var (p, o, n) in Blocks(info)) storage.WriteBlock(p, o, Block(all, info, p, o, n));

        storage.ApplyFilePriorities(Enumerable.Repeat((byte)4, info.Files.Count).ToArray());

        Assert.False(storage.UsesPartFile(FileIndex(info, "odd.bin")));
        Assert.False(File.Exists(storage.PartFilePath), "empty part file removed");
        Assert.True(File.Exists(dir["v1_multi/a/odd.bin"]));
        Assert.Equal(AllPieces(info), CheckerPasses(storage));
        Assert.All(AllPieces(info), p => Assert.True(storage.HashPiece(p)));
    }

    [Fact]
    public void A_slot_stays_while_another_skipped_file_still_needs_it()
    {
        // Piece 2 holds deep.bin and odd.bin; piece 3 holds odd.bin, Z.bin and x.bin.
        var info = Load("v1_multi");
        var all = TorrentBytes("v1_multi", info);
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path, filePriorities: SkipFiles(info, "odd.bin", "Z.bin"));
        foreach (var (p, o, n) in Blocks(info)) storage.WriteBlock(p, o, Block(all, info, p, o, n));
        Assert.False(File.Exists(dir["v1_multi/Z.bin"]));

        storage.ApplyFilePriorities(SkipFiles(info, "Z.bin"));

        Assert.True(File.Exists(dir["v1_multi/a/odd.bin"]));
        Assert.False(File.Exists(dir["v1_multi/Z.bin"]));
        Assert.True(File.Exists(storage.PartFilePath));
        var header = File.ReadAllBytes(storage.PartFilePath).AsSpan(0, 8 + 4 * 11);
        Assert.Equal(-1, BinaryPrimitives.ReadInt32BigEndian(header[(8 + 4 * 2)..]));
        Assert.NotEqual(-1, BinaryPrimitives.ReadInt32BigEndian(header[(8 + 4 * 3)..]));
        Assert.True(storage.HashPiece(3), "Z.bin's byte still comes from the part file");

        storage.ApplyFilePriorities(SkipFiles(info));
        Assert.False(File.Exists(storage.PartFilePath));
        Assert.Equal(AllPieces(info), CheckerPasses(storage));
    }

    [Fact]
    public void A_file_that_exists_keeps_its_bytes_when_skipped()
    {
        // As in libtorrent, nothing moves into the part file: a skipped file already on disk stays in use.
        var info = Load("v1_multi");
        var all = TorrentBytes("v1_multi", info);
        using var dir = new ScratchDir();
        using var storage = new TorrentStorage(info, dir.Path);
        foreach (var (p, o, n) in Blocks(info)) storage.WriteBlock(p, o, Block(all, info, p, o, n));

        storage.ApplyFilePriorities(SkipFiles(info, "odd.bin", "deep.bin"));
        Assert.False(storage.UsesPartFile(FileIndex(info, "odd.bin")));
        Assert.All(AllPieces(info), p => Assert.True(storage.HashPiece(p)));
        Assert.False(File.Exists(storage.PartFilePath));
    }

    [Fact]
    public void A_part_file_for_another_geometry_is_treated_as_empty_and_rewritten()
    {
        var info = Load("v1_multi");
        var all = TorrentBytes("v1_multi", info);
        using var dir = new ScratchDir();
        var prios = SkipFiles(info, "odd.bin");
        string partPath;
        using (var probe = new TorrentStorage(info, dir.Path)) partPath = probe.PartFilePath;
        var foreign = new byte[2048];
        BinaryPrimitives.WriteUInt32BigEndian(foreign, 5);
        BinaryPrimitives.WriteUInt32BigEndian(foreign.AsSpan(4), 32768);
        File.WriteAllBytes(partPath, foreign);

        using var storage = new TorrentStorage(info, dir.Path, filePriorities: prios);
        Assert.Throws<StorageException>(() => storage.ReadBlock(2, 0, new byte[16384]));
        WritePiece(storage, all, 2);
        Assert.True(storage.HashPiece(2));
        Assert.Equal(11u, BinaryPrimitives.ReadUInt32BigEndian(File.ReadAllBytes(partPath)));
    }

    [Theory]
    [InlineData(1, 1024)]
    [InlineData(254, 1024)] // (2 + 254) * 4 = 1024 exactly
    [InlineData(255, 2048)]
    [InlineData(100000, 400384)]
    public void The_header_is_rounded_up_to_whole_kilobytes(int pieces, int headerSize) =>
        Assert.Equal(headerSize, PartFile.HeaderSizeFor(pieces));
}
