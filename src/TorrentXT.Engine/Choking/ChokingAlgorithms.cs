// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Choking;

/// <summary>libtorrent's <c>choking_algorithm</c> values.</summary>
public enum ChokingAlgorithm
{
    /// <summary>A fixed number of unchoke slots: <c>unchoke_slots_limit</c>.</summary>
    FixedSlots = 0,
    /// <summary>Slots open up as the upload rate achieved to peers grows.</summary>
    RateBased = 2,
}

/// <summary>libtorrent's <c>seed_choking_algorithm</c> values: how peers of a torrent we seed rank.</summary>
public enum SeedChokingAlgorithm
{
    /// <summary>Rotate: a peer keeps its slot until it got its quota of bytes, then the peer that
    /// waited longest gets the slot.</summary>
    RoundRobin = 0,
    /// <summary>The peers we upload to fastest.</summary>
    FastestUpload = 1,
    /// <summary>Peers that just started or are about to finish first, so the ones in the middle
    /// trade with each other.</summary>
    AntiLeech = 2,
}
