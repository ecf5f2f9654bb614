// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.PeerWire;

/// <summary>
/// Upper bounds on the declared length (the u32 prefix value, id byte included) of each variable-size
/// message. A peer that declares more is disconnected before anything is buffered for it.
/// </summary>
public sealed record WireLimits
{
    public const int OneMiB = 1024 * 1024;

    /// <summary>Largest block a piece message may carry (declared length 9 + block, frame 13 + block).</summary>
    public int MaxBlockSize { get; init; } = WireSizes.BlockSize;
    public int MaxBitfieldLength { get; init; } = OneMiB;
    public int MaxExtendedLength { get; init; } = OneMiB;
    public int MaxHashesLength { get; init; } = OneMiB;
    /// <summary>Unknown ids are skipped by length, but only up to this length.</summary>
    public int MaxUnknownLength { get; init; } = OneMiB;

    public static WireLimits Default { get; } = new();

    internal int MaxPieceLength => WireSizes.PieceHeader + MaxBlockSize;

    /// <summary>The largest declared length any message may have; checked before the id byte arrives.</summary>
    public int MaxAnyLength =>
        Math.Max(Math.Max(MaxPieceLength, MaxBitfieldLength), Math.Max(Math.Max(MaxExtendedLength, MaxHashesLength), Math.Max(MaxUnknownLength, WireSizes.HashRequest)));
}
