// SPDX-License-Identifier: MIT
using System.Numerics;

namespace TorrentXT.Engine.PeerWire;

/// <summary>
/// The fields shared by the BEP 52 hash request (21), hashes (22) and hash reject (23) messages:
/// which file tree (its pieces root), which layer (0 = the 16 KiB block hashes), which run of
/// nodes in that layer, and how many layers of proof above it. <see cref="MessageReader"/> checks the
/// framing; this type checks the request against the geometry of the file's tree.
/// </summary>
public readonly struct HashRequest : IEquatable<HashRequest>
{
    /// <summary>libtorrent's cap on the hashes one request may ask for (a 128 MiB piece's blocks).</summary>
    public const int MaxCount = 8192;

    private readonly byte[] _root;

    public HashRequest(ReadOnlySpan<byte> piecesRoot, int baseLayer, int index, int count, int proofLayers)
    {
        if (piecesRoot.Length != WireSizes.Sha256) throw new ArgumentException("a pieces root is 32 bytes", nameof(piecesRoot));
        _root = piecesRoot.ToArray();
        BaseLayer = baseLayer;
        Index = index;
        Count = count;
        ProofLayers = proofLayers;
    }

    /// <summary>The request a hash request, hashes or hash reject message carries.</summary>
    public static HashRequest From(in PeerMessage m)
    {
        if (m.Kind is not (MessageKind.HashRequest or MessageKind.Hashes or MessageKind.HashReject))
            throw new ArgumentException("not a BEP 52 hash message", nameof(m));
        return new HashRequest(m.PiecesRoot, m.BaseLayer, m.Index, m.Length, m.ProofLayers);
    }

    public ReadOnlySpan<byte> PiecesRoot => _root;
    public int BaseLayer { get; }
    public int Index { get; }
    public int Count { get; }
    public int ProofLayers { get; }

    /// <summary>
    /// How many uncle hashes follow the <see cref="Count"/> base hashes in a hashes message: the
    /// first <c>log2(Count)</c> proof layers are computed from the base hashes themselves, each layer
    /// above that needs the sibling of the node being proven (as libtorrent 2.0 counts them).
    /// </summary>
    public int UncleCount => Count < 1 ? 0 : Math.Max(0, ProofLayers - BitOperations.Log2((uint)Count) + 1);

    /// <summary>Bytes of hashes a correct reply to this request carries.</summary>
    public int ReplyHashBytes => (Count + UncleCount) * WireSizes.Sha256;

    /// <summary>
    /// Whether the request makes sense for a file of <paramref name="fileSize"/> bytes: BEP 52's
    /// rules (count a power of two of at least 2, index a multiple of count) and libtorrent's bounds
    /// (count at most 8192, base below the root, the run inside its layer of the padded tree,
    /// proof layers below the root).
    /// </summary>
    public bool IsValidFor(long fileSize)
    {
        if (BaseLayer < 0 || Index < 0 || ProofLayers < 0 || Count < 2 || Count > MaxCount || !BitOperations.IsPow2(Count)) return false;
        if (Index % Count != 0 || fileSize <= 0) return false;
        int height = TreeHeight(fileSize);
        if (BaseLayer >= height) return false;
        long layerSize = 1L << (height - BaseLayer);
        if ((long)Index + Count > layerSize) return false;
        return ProofLayers < height - BaseLayer;
    }

    /// <summary>
    /// The layers above the leaves of a file's tree: log2 of its 16 KiB block count rounded up to a
    /// power of two (0 for a file of one block, whose root is its only hash).
    /// </summary>
    public static int TreeHeight(long fileSize)
    {
        long blocks = (fileSize + WireSizes.BlockSize - 1) / WireSizes.BlockSize;
        return blocks <= 1 ? 0 : BitOperations.Log2(BitOperations.RoundUpToPowerOf2((ulong)blocks));
    }

    /// <summary>
    /// Splits a hashes message's payload into the base hashes and the uncle hashes. A payload whose
    /// size does not match the request is hostile or broken: the connection must close.
    /// </summary>
    public void SplitReply(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> baseHashes, out ReadOnlySpan<byte> uncles)
    {
        if (payload.Length != ReplyHashBytes)
            throw new PeerWireException(PeerWireError.InvalidMessageField,
                $"invalid Hashes message: {payload.Length / WireSizes.Sha256} hashes for a request of {Count} with {UncleCount} uncles");
        baseHashes = payload[..(Count * WireSizes.Sha256)];
        uncles = payload[(Count * WireSizes.Sha256)..];
    }

    /// <summary>Frame size of the hash request or hash reject for this request.</summary>
    public const int FrameSize = MessageWriter.HashRequestSize;

    public int WriteRequest(Span<byte> destination) =>
        MessageWriter.WriteHashRequest(destination, _root, BaseLayer, Index, Count, ProofLayers);

    public int WriteReject(Span<byte> destination) =>
        MessageWriter.WriteHashReject(destination, _root, BaseLayer, Index, Count, ProofLayers);

    /// <summary>A hashes message answering this request; <paramref name="hashes"/> is base hashes then uncles.</summary>
    public int WriteHashes(Span<byte> destination, ReadOnlySpan<byte> hashes) =>
        MessageWriter.WriteHashes(destination, _root, BaseLayer, Index, Count, ProofLayers, hashes);

    public bool Equals(HashRequest other) =>
        BaseLayer == other.BaseLayer && Index == other.Index && Count == other.Count && ProofLayers == other.ProofLayers
        && PiecesRoot.SequenceEqual(other.PiecesRoot);

    public override bool Equals(object? obj) => obj is HashRequest r && Equals(r);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(PiecesRoot);
        h.Add(BaseLayer);
        h.Add(Index);
        h.Add(Count);
        h.Add(ProofLayers);
        return h.ToHashCode();
    }

    public static bool operator ==(HashRequest a, HashRequest b) => a.Equals(b);
    public static bool operator !=(HashRequest a, HashRequest b) => !a.Equals(b);

    public override string ToString() => $"{Convert.ToHexStringLower(PiecesRoot)[..8]} base {BaseLayer} [{Index}+{Count}] proof {ProofLayers}";
}
