// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Creation;
using Xunit;

namespace TorrentXT.Engine.Tests.Creation;

/// <summary>Contract §8 step 2: the automatic piece size and which sizes libtorrent 2.0.8 refuses.</summary>
public sealed class PieceSizePolicyTests
{
    private const int K16 = 16 * 1024;

    [Theory]
    [InlineData(1L, K16)]
    [InlineData(2_684_355L, K16)]
    [InlineData(2_684_356L, 2 * K16)]
    [InlineData(10_737_418L, 2 * K16)]
    [InlineData(10_737_419L, 4 * K16)]
    [InlineData(1L << 30, 512 * 1024)]
    [InlineData(703_687_441_777L, 8 * 1024 * 1024)]
    [InlineData(703_687_441_778L, 16 * 1024 * 1024)]
    [InlineData(long.MaxValue, 16 * 1024 * 1024)]
    public void Automatic_size_doubles_past_each_threshold(long total, int expected) =>
        Assert.Equal(expected, PieceSizePolicy.Automatic(total));

    [Fact]
    public void Automatic_size_matches_what_libtorrent_chose_in_the_vectors()
    {
        foreach (var row in CreationVectors.Manifest.GetProperty("auto_piece_size").EnumerateArray())
        {
            long total = row.GetProperty("total_size").GetInt64();
            foreach (var (variant, flags) in new[] { ("hybrid", CreateTorrentFlags.None), ("v1_only", CreateTorrentFlags.V1Only), ("v2_only", CreateTorrentFlags.V2Only) })
                Assert.Equal(row.GetProperty(variant).GetProperty("piece_length").GetInt32(), PieceSizePolicy.Resolve(0, total, flags));
        }
    }

    [Theory]
    [InlineData(12345, K16)]       // below one block: raised
    [InlineData(3, K16)]
    [InlineData(-5, K16)]
    [InlineData(32768, 32768)]
    [InlineData(1 << 30, 1 << 30)] // 2.0.8 has no upper cap
    public void V2_and_hybrid_raise_small_sizes_to_one_block(int requested, int expected)
    {
        Assert.Equal(expected, PieceSizePolicy.Resolve(requested, 100, CreateTorrentFlags.None));
        Assert.Equal(expected, PieceSizePolicy.Resolve(requested, 100, CreateTorrentFlags.V2Only));
    }

    [Theory]
    [InlineData(49152)]
    [InlineData(24576)]
    [InlineData(int.MaxValue)]
    public void V2_and_hybrid_refuse_sizes_that_are_not_powers_of_two(int requested) =>
        Assert.Null(PieceSizePolicy.Resolve(requested, 100, CreateTorrentFlags.None));

    [Theory]
    [InlineData(49152, 49152)]     // a multiple of 16 KiB
    [InlineData(8192, 8192)]       // a power of two
    [InlineData(1, 1)]
    [InlineData(0, K16)]           // automatic
    public void V1_only_takes_multiples_of_a_block_or_powers_of_two(int requested, int expected) =>
        Assert.Equal(expected, PieceSizePolicy.Resolve(requested, 100, CreateTorrentFlags.V1Only));

    [Theory]
    [InlineData(24576)]
    [InlineData(12345)]
    [InlineData(16383)]
    [InlineData(-5)]
    [InlineData(int.MinValue)]
    public void V1_only_refuses_other_sizes(int requested) =>
        Assert.Null(PieceSizePolicy.Resolve(requested, 100, CreateTorrentFlags.V1Only));

    [Fact]
    public void Allow_odd_piece_size_lets_v1_use_any_positive_size()
    {
        Assert.Equal(12345, PieceSizePolicy.Resolve(12345, 100, CreateTorrentFlags.V1Only | CreateTorrentFlags.AllowOddPieceSize));
        Assert.Null(PieceSizePolicy.Resolve(-1, 100, CreateTorrentFlags.V1Only | CreateTorrentFlags.AllowOddPieceSize));
        Assert.Null(PieceSizePolicy.Resolve(49152, 100, CreateTorrentFlags.AllowOddPieceSize));
    }
}
