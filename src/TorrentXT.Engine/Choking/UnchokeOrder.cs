// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Choking;

/// <summary>
/// Ranks interested peers for the regular slots, best first:
/// <list type="number">
/// <item>for a torrent we download, peers that are not snubbed before snubbed ones;</item>
/// <item>the rate the peer sends us, highest first (tit-for-tat; it is 0 for torrents we seed);</item>
/// <item>the seed algorithm, which also breaks ties between equal downloaders:
///   round-robin (peers within their quota of <c>seeding_piece_quota</c> pieces since unchoked
///   first, currently unchoked ones before choked ones so nobody is cut off mid-quota, then the
///   one waiting longest since its last unchoke), fastest-upload, or anti-leech.</item>
/// </list>
/// </summary>
internal readonly struct UnchokeOrder(ChokerSettings settings) : IComparer<ChokerPeer>
{
    public int Compare(ChokerPeer a, ChokerPeer b)
    {
        bool aSnubbed = a.IsSnubbed && !a.TorrentSeeding, bSnubbed = b.IsSnubbed && !b.TorrentSeeding;
        if (aSnubbed != bSnubbed) return aSnubbed ? 1 : -1;
        int c = b.DownloadRate.CompareTo(a.DownloadRate);
        if (c != 0) return c;
        c = settings.SeedAlgorithm switch
        {
            SeedChokingAlgorithm.FastestUpload => b.UploadRate.CompareTo(a.UploadRate),
            SeedChokingAlgorithm.AntiLeech => AntiLeechScore(b).CompareTo(AntiLeechScore(a)),
            _ => RoundRobin(a, b),
        };
        return c != 0 ? c : a.Id.CompareTo(b.Id);
    }

    private int RoundRobin(in ChokerPeer a, in ChokerPeer b)
    {
        bool aDone = QuotaServed(a), bDone = QuotaServed(b);
        if (aDone != bDone) return aDone ? 1 : -1;
        if (a.ChokedByUs != b.ChokedByUs) return a.ChokedByUs ? 1 : -1;
        return Waited(a).CompareTo(Waited(b));
    }

    private bool QuotaServed(in ChokerPeer p) =>
        !p.ChokedByUs && p.UploadedSinceUnchoke >= Math.Max(1, p.PieceLength) * (long)settings.SeedingPieceQuota;

    // Never unchoked sorts as having waited forever.
    private static TimeSpan Waited(in ChokerPeer p) => p.LastUnchoke ?? TimeSpan.MinValue;

    // Near 0 or near 1 ranks high, the middle of the download low.
    private static double AntiLeechScore(in ChokerPeer p) => Math.Abs(Math.Clamp(p.Progress, 0, 1) - 0.5);
}

/// <summary>Ranks peers for an optimistic slot: the one whose last optimistic unchoke is oldest
/// (never first), then the one choked longest.</summary>
internal readonly struct OptimisticOrder : IComparer<ChokerPeer>
{
    public int Compare(ChokerPeer a, ChokerPeer b)
    {
        int c = (a.LastOptimisticUnchoke ?? TimeSpan.MinValue).CompareTo(b.LastOptimisticUnchoke ?? TimeSpan.MinValue);
        if (c != 0) return c;
        c = (a.LastUnchoke ?? TimeSpan.MinValue).CompareTo(b.LastUnchoke ?? TimeSpan.MinValue);
        return c != 0 ? c : a.Id.CompareTo(b.Id);
    }
}
