// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Swarm;

/// <summary>
/// How far we trust a peer's data, libtorrent's way: a piece it helped with that passes its check
/// earns a point (up to <see cref="MaxPoints"/>), one that fails costs two. A peer is banned when its
/// points fall to <see cref="BanAt"/>, or at once when it sent every block of a bad piece itself
/// (there is no doubt who corrupted it). A peer that shared a bad piece with honest peers thus
/// survives a few failures, and an honest peer's earlier good pieces outweigh bad luck.
/// </summary>
internal sealed class PeerTrust
{
    public const int MaxPoints = 8, BanAt = -7;

    public int Points { get; private set; }
    public int BadPieces { get; private set; }

    public void OnGoodPiece()
    {
        if (Points < MaxPoints) Points++;
    }

    /// <summary>Records a bad piece; true when the peer must now be banned.</summary>
    public bool OnBadPiece(bool soleSender)
    {
        BadPieces++;
        Points -= 2;
        return soleSender || Points <= BanAt;
    }
}
