// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;
using Xunit;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>Piece and byte-range arithmetic over hybrid_multi, whose layout has pads and an empty file.</summary>
public class FileStorageTests
{
    // 0 A.txt 1000 @0 | 1 pad 15384 @1000 | 2 a/big.bin 100000 @16384 | 3 pad 14688 @116384
    // 4 a/empty.dat 0 @131072 | 5 a/x.bin 16384 @131072 | 6 b/z.bin 40000 @147456 | 7 pad 9152 @187456
    // 8 c.bin 5 @196608 | 9 pad 16379 @196613  -- 13 pieces of 16 KiB, total 212992
    private static readonly FileStorage Fs = TorrentInfo.Load(Vectors.Bytes("torrents", "hybrid_multi.torrent")).Files;

    [Theory]
    [InlineData(0, 0)]
    [InlineData(999, 0)]
    [InlineData(1000, 1)]
    [InlineData(16384, 2)]
    [InlineData(131071, 3)]
    [InlineData(131072, 5)] // the empty file at the same offset holds no byte
    [InlineData(212991, 9)]
    public void FileAt_finds_the_file_holding_a_byte(long offset, int file) => Assert.Equal(file, Fs.FileAt(offset));

    [Fact]
    public void FileAt_refuses_offsets_outside_the_torrent()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Fs.FileAt(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fs.FileAt(Fs.TotalSize));
    }

    [Fact]
    public void MapRange_splits_over_files_and_skips_empty_ones()
    {
        var slices = new List<FileSlice>();
        Fs.MapRange(131072 - 100, 300, slices);
        Assert.Equal([new FileSlice(3, 14588, 100), new FileSlice(5, 0, 200)], slices);
    }

    [Fact]
    public void MapRange_of_a_whole_piece_covers_the_file_and_its_pad()
    {
        var slices = new List<FileSlice>();
        Fs.MapRange(0, 16384, slices);
        Assert.Equal([new FileSlice(0, 0, 1000), new FileSlice(1, 0, 15384)], slices);
    }

    [Fact]
    public void MapRange_stops_at_the_end_of_the_torrent()
    {
        var slices = new List<FileSlice>();
        Fs.MapRange(Fs.TotalSize - 10, 100, slices);
        Assert.Equal([new FileSlice(9, 16369, 10)], slices);
    }

    [Fact]
    public void Piece_ranges_are_inclusive_and_empty_files_have_none()
    {
        Assert.Equal((1, 7), Fs.PieceRangeOfFile(2));
        Assert.Equal((0, 0), Fs.PieceRangeOfFile(0));
        var (first, last) = Fs.PieceRangeOfFile(4);
        Assert.True(first > last);
        Assert.Equal((12, 12), Fs.PieceRangeOfFile(9));
    }

    [Fact]
    public void Only_the_last_piece_may_be_short()
    {
        var v1 = TorrentInfo.Load(Vectors.Bytes("torrents", "v1_single.torrent")).Files;
        Assert.Equal(16384, v1.PieceSize(0));
        Assert.Equal(1234, v1.PieceSize(v1.NumPieces - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => v1.PieceSize(v1.NumPieces));
    }
}
