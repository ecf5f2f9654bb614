// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// A torrent's identity: the v1 SHA-1 and/or the v2 SHA-256 of its info dictionary. Immutable.
/// Swarms, trackers and the DHT use 20-byte ids, so a v2 hash also answers to its first 20 bytes.
/// </summary>
public sealed class InfoHashes : IEquatable<InfoHashes>
{
    private readonly byte[]? _v1;
    private readonly byte[]? _v2;

    public InfoHashes(byte[]? v1, byte[]? v2)
    {
        if (v1 is not null && v1.Length != 20) throw new ArgumentException("a v1 info-hash is 20 bytes", nameof(v1));
        if (v2 is not null && v2.Length != 32) throw new ArgumentException("a v2 info-hash is 32 bytes", nameof(v2));
        // Copies, so nobody can change the identity of a torrent through an array they still hold.
        _v1 = v1?.ToArray();
        _v2 = v2?.ToArray();
        V1Hex = _v1 is null ? null : Convert.ToHexStringLower(_v1);
        V2Hex = _v2 is null ? null : Convert.ToHexStringLower(_v2);
    }

    /// <summary>20-byte SHA-1 of the info dictionary; null for a v2-only torrent. Returns a copy.</summary>
    public byte[]? V1 => _v1?.ToArray();
    /// <summary>32-byte SHA-256 of the info dictionary; null for a v1-only torrent. Returns a copy.</summary>
    public byte[]? V2 => _v2?.ToArray();

    public bool HasV1 => _v1 is not null;
    public bool HasV2 => _v2 is not null;
    public string? V1Hex { get; }
    public string? V2Hex { get; }

    public ReadOnlySpan<byte> V1Span => _v1;
    public ReadOnlySpan<byte> V2Span => _v2;

    /// <summary>The first 20 bytes of the v2 hash (how v2 torrents are addressed in 20-byte protocols).</summary>
    public byte[]? TruncatedV2 => _v2?.AsSpan(0, 20).ToArray();

    /// <summary>The 20-byte id the swarm and DHT use: v1 if present, else the truncated v2 (empty if neither).</summary>
    public byte[] Primary20 => _v1?.ToArray() ?? _v2?.AsSpan(0, 20).ToArray() ?? [];

    /// <summary>True when <paramref name="h20"/> equals the v1 hash or the truncated v2 hash.</summary>
    public bool Matches20(ReadOnlySpan<byte> h20)
    {
        if (h20.Length != 20) return false;
        return (_v1 is not null && h20.SequenceEqual(_v1))
            || (_v2 is not null && h20.SequenceEqual(_v2.AsSpan(0, 20)));
    }

    public bool Equals(InfoHashes? other) =>
        other is not null && _v1.AsSpan().SequenceEqual(other._v1) && _v2.AsSpan().SequenceEqual(other._v2)
        && HasV1 == other.HasV1 && HasV2 == other.HasV2;

    public override bool Equals(object? obj) => Equals(obj as InfoHashes);
    public override int GetHashCode() => HashCode.Combine(V1Hex, V2Hex);
    public override string ToString() => V2Hex is null ? V1Hex ?? "" : V1Hex is null ? V2Hex : V1Hex + "+" + V2Hex;
}
