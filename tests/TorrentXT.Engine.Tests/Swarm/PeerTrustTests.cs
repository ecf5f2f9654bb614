// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Swarm;
using Xunit;

namespace TorrentXT.Engine.Tests.Swarm;

public class PeerTrustTests
{
    [Fact]
    public void A_sole_sender_of_a_bad_piece_is_banned_at_once()
    {
        Assert.True(new PeerTrust().OnBadPiece(soleSender: true));
    }

    [Fact]
    public void A_shared_bad_piece_costs_two_points_and_the_fourth_bans()
    {
        var t = new PeerTrust();
        Assert.False(t.OnBadPiece(false));
        Assert.False(t.OnBadPiece(false));
        Assert.False(t.OnBadPiece(false));
        Assert.True(t.OnBadPiece(false));   // -8 <= -7
        Assert.Equal(4, t.BadPieces);
    }

    [Fact]
    public void Good_pieces_earn_up_to_eight_points_of_credit()
    {
        var t = new PeerTrust();
        for (int i = 0; i < 20; i++) t.OnGoodPiece();
        Assert.Equal(PeerTrust.MaxPoints, t.Points);
        for (int i = 0; i < 7; i++) Assert.False(t.OnBadPiece(false));  // 8 - 14 = -6
        Assert.True(t.OnBadPiece(false));
    }
}
