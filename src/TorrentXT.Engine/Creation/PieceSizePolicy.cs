// SPDX-License-Identifier: MIT
using System.Numerics;

namespace TorrentXT.Engine.Creation;

/// <summary>How libtorrent 2.0.8 chooses and validates the piece size of a new torrent.</summary>
public static class PieceSizePolicy
{
    // The largest total size for which each piece size is chosen: 16 KiB up to the first threshold,
    // doubling past each one. They aim at a piece list of about 2*sqrt(total) bytes of 20-byte hashes;
    // every boundary was confirmed against libtorrent 2.0.8.
    private static readonly long[] Thresholds =
    [
        2_684_355, 10_737_418, 42_949_673, 171_798_692, 687_194_767, 2_748_779_069,
        10_995_116_278, 43_980_465_111, 175_921_860_444, 703_687_441_777,
    ];

    /// <summary>The automatic piece size for content of <paramref name="totalSize"/> bytes (16 KiB .. 16 MiB).</summary>
    public static int Automatic(long totalSize)
    {
        int i = 0;
        while (i < Thresholds.Length && Thresholds[i] < totalSize) i++;
        return 16 * 1024 << i;
    }

    /// <summary>
    /// The piece size to use for a requested size (0 = automatic) under <paramref name="flags"/>, or
    /// null when libtorrent would throw "invalid piece size".
    /// </summary>
    public static int? Resolve(int requested, long totalSize, CreateTorrentFlags flags)
    {
        int size = requested == 0 ? Automatic(totalSize) : requested;
        if ((flags & CreateTorrentFlags.V1Only) == 0)
        {
            // v2 needs a power of two of at least one 16 KiB block; smaller requests are raised.
            if (size < 16 * 1024) size = 16 * 1024;
            return BitOperations.IsPow2(size) ? size : null;
        }
        if (size <= 0) return null;
        if (size % (16 * 1024) == 0 || BitOperations.IsPow2(size)) return size;
        return (flags & CreateTorrentFlags.AllowOddPieceSize) != 0 ? size : null;
    }
}
