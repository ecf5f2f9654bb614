// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Alerts;

/// <summary>A DHT node finished bootstrapping (once per node: IPv4 and IPv6 each post one).</summary>
public sealed record DhtBootstrapAlert() : Alert((Torrent?)null)
{
    public override AlertCategory Category => AlertCategory.Dht;
}

/// <summary>
/// A put finished. Immutable: <see cref="Target"/> is set. Mutable: public key, signature, seq
/// and salt are set and the target is null.
/// </summary>
public sealed record DhtPutAlert(byte[]? Target, byte[]? PublicKey, byte[]? Signature, long Seq, byte[] Salt, int NumSuccess) : Alert((Torrent?)null)
{
    public override AlertCategory Category => AlertCategory.Dht;
}

/// <summary>An immutable get finished; <see cref="Value"/> is the bencoded value found, or null.</summary>
public sealed record DhtImmutableItemAlert(byte[] Target, byte[]? Value) : Alert((Torrent?)null)
{
    public override AlertCategory Category => AlertCategory.Dht;
}

/// <summary>A mutable get saw a newer item (not authoritative) or finished (authoritative); Value null: nothing found.</summary>
public sealed record DhtMutableItemAlert(byte[] PublicKey, byte[] Salt, byte[]? Value, byte[] Signature, long Seq, bool Authoritative) : Alert((Torrent?)null)
{
    public override AlertCategory Category => AlertCategory.Dht;
}
