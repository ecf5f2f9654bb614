// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Swarm;
using Xunit;

namespace TorrentXT.Engine.Tests.Swarm;

/// <summary>BEP 6's canonical allowed-fast set, checked against the example in the BEP.</summary>
public class AllowedFastSetTests
{
    private static readonly byte[] Hash = Enumerable.Repeat((byte)0xAA, 20).ToArray();

    [Fact]
    public void Matches_the_bep6_example_for_seven_pieces()
    {
        var set = AllowedFastSet.Compute(IPAddress.Parse("80.4.4.200"), Hash, 1313, 7);
        Assert.Equal(new[] { 1059, 431, 808, 1217, 287, 376, 1188 }, set);
    }

    [Fact]
    public void Matches_the_bep6_example_for_nine_pieces()
    {
        var set = AllowedFastSet.Compute(IPAddress.Parse("80.4.4.200"), Hash, 1313, 9);
        Assert.Equal(new[] { 1059, 431, 808, 1217, 287, 376, 1188, 353, 508 }, set);
    }

    [Fact]
    public void Same_set_for_the_whole_slash24_and_every_piece_when_the_torrent_is_small()
    {
        Assert.Equal(AllowedFastSet.Compute(IPAddress.Parse("80.4.4.1"), Hash, 1313, 7),
                     AllowedFastSet.Compute(IPAddress.Parse("::ffff:80.4.4.200"), Hash, 1313, 7));
        Assert.Equal(new[] { 0, 1, 2 }, AllowedFastSet.Compute(IPAddress.Loopback, Hash, 3, 5));
        Assert.Empty(AllowedFastSet.Compute(IPAddress.Loopback, Hash, 100, 0));
    }
}
