// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Creation;
using Xunit;

namespace TorrentXT.Engine.Tests.Creation;

/// <summary>Contract §8 step 4: the tracker text of btx_create_torrent.</summary>
public sealed class TrackerListTests
{
    [Fact]
    public void Lines_are_trimmed_of_spaces_tabs_and_carriage_returns_and_blank_ones_skipped() =>
        Assert.Equal(["udp://t1/ann", "http://t2/ann"], TrackerList.Parse(" udp://t1/ann \n\n\t\nhttp://t2/ann\r\n"));

    [Fact]
    public void A_repeated_url_is_dropped_keeping_the_first() =>
        Assert.Equal(["udp://a/x", "http://c/x"], TrackerList.Parse("udp://a/x\nudp://a/x\nhttp://c/x"));

    [Fact]
    public void Inner_spaces_stay_and_nothing_is_validated() =>
        Assert.Equal(["not a url", "x"], TrackerList.Parse("not a url\r\nx"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n\t\r\n")]
    public void No_text_means_no_trackers(string? text) => Assert.Empty(TrackerList.Parse(text));
}
