// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Picking;
using Xunit;
using static TorrentXT.Engine.Tests.Picking.PickerHarness;

namespace TorrentXT.Engine.Tests.Picking;

public class PieceLayoutTests
{
    [Fact]
    public void The_last_piece_and_its_last_block_may_be_short()
    {
        var layout = PieceLayout.FromTotalSize(3 * 65536 + 20000, 65536);
        Assert.Equal(4, layout.PieceCount);
        Assert.Equal(20000, layout.LastPieceLength);
        Assert.Equal(4, layout.BlockCount(0));
        Assert.Equal(2, layout.BlockCount(3));
        Assert.Equal(Block, layout.BlockLength(3, 0));
        Assert.Equal(20000 - Block, layout.BlockLength(3, 1));
        Assert.Equal(3 * 65536 + 20000, layout.TotalSize);
    }

    [Fact]
    public void A_picker_requests_the_short_blocks_with_their_real_length()
    {
        var picker = new PiecePicker(PieceLayout.FromTotalSize(65536 + 20000, 65536), new Random(1));
        picker.MarkHave(0);
        var seed = Seed(picker);
        var blocks = Pick(picker, seed, 10);
        Assert.Equal([new BlockRequest(1, 0, Block), new BlockRequest(1, Block, 20000 - Block)], blocks);
    }

    [Theory]
    [InlineData(0, 0, Block, true)]
    [InlineData(0, 1, Block, false)]          // not block aligned
    [InlineData(0, 4 * Block, Block, false)]  // past the piece
    [InlineData(0, 0, 100, false)]            // wrong length
    [InlineData(5, 0, Block, false)]          // no such piece
    public void Only_exact_blocks_are_blocks(int piece, int offset, int length, bool expected)
    {
        var layout = new PieceLayout(2, 4 * Block, 4 * Block);
        Assert.Equal(expected, layout.IsBlock(piece, offset, length));
    }
}

public class PickerSettingsTests
{
    [Fact]
    public void Options_read_from_a_settings_pack_are_libtorrents_defaults()
    {
        var pack = new TorrentXT.Engine.Settings.SettingsPack();
        Assert.Equal(PiecePickerOptions.Default, PiecePickerOptions.FromSettings(pack));
        var queue = RequestQueueSettings.FromSettings(pack);
        // Unset, the engine's deeper queue applies; the setting itself still reads libtorrent's 500.
        Assert.Equal(RequestQueueSettings.EngineMaxOutRequestQueue, queue.MaxOutRequestQueue);
        Assert.Equal(500, pack.GetInt(TorrentXT.Engine.Settings.SettingIds.MaxOutRequestQueue));
        Assert.Equal(TimeSpan.FromSeconds(3), queue.RequestQueueTime);
        pack.SetInt("max_out_request_queue", 500);
        Assert.Equal(500, RequestQueueSettings.FromSettings(pack).MaxOutRequestQueue);
    }
}
