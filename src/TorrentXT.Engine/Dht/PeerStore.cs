// SPDX-License-Identifier: MIT
using System.Net;

namespace TorrentXT.Engine.Dht;

/// <summary>
/// Peers announced to us (BEP 5 announce_peer), per info-hash, bounded by dht_max_torrents and
/// dht_max_peers, expiring after 30 minutes without a re-announce. When the torrent table is
/// full, the torrent with the fewest peers makes room (as libtorrent does), so one flood of fake
/// info-hashes cannot push out popular ones.
/// </summary>
public sealed class PeerStore(DhtConfig config)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private readonly Dictionary<UInt160, Dictionary<IPEndPoint, long>> _torrents = new();

    public int TorrentCount => _torrents.Count;

    public void Announce(ReadOnlySpan<byte> infoHash, IPEndPoint peer, long now)
    {
        if (config.MaxTorrents <= 0 || config.MaxPeers <= 0) return;
        var key = new UInt160(infoHash);
        if (!_torrents.TryGetValue(key, out var peers))
        {
            if (_torrents.Count >= config.MaxTorrents)
            {
                var smallest = _torrents.MinBy(kv => kv.Value.Count);
                if (smallest.Value.Count > 1) return; // every stored torrent is busier: drop the newcomer
                _torrents.Remove(smallest.Key);
            }
            _torrents[key] = peers = new Dictionary<IPEndPoint, long>();
        }
        if (!peers.ContainsKey(peer) && peers.Count >= config.MaxPeers)
        {
            // Replace the oldest announce.
            var oldest = peers.MinBy(kv => kv.Value).Key;
            peers.Remove(oldest);
        }
        peers[peer] = now;
    }

    /// <summary>Up to <paramref name="max"/> random peers of one family for a get_peers reply.</summary>
    public List<IPEndPoint> Get(ReadOnlySpan<byte> infoHash, System.Net.Sockets.AddressFamily family, int max)
    {
        var result = new List<IPEndPoint>();
        if (!_torrents.TryGetValue(new UInt160(infoHash), out var peers)) return result;
        foreach (var p in peers.Keys)
            if (Compact.Family(p) == family) result.Add(p);
        // Random subset (Fisher-Yates prefix) so every announcer gets handed out.
        for (int i = 0; i < Math.Min(max, result.Count); i++)
        {
            int j = Random.Shared.Next(i, result.Count);
            (result[i], result[j]) = (result[j], result[i]);
        }
        if (result.Count > max) result.RemoveRange(max, result.Count - max);
        return result;
    }

    public void Expire(long now)
    {
        long cutoff = now - Lifetime.Ticks;
        List<UInt160>? empty = null;
        foreach (var (key, peers) in _torrents)
        {
            foreach (var p in peers.Where(kv => kv.Value < cutoff).Select(kv => kv.Key).ToList()) peers.Remove(p);
            if (peers.Count == 0) (empty ??= new()).Add(key);
        }
        if (empty is not null) foreach (var k in empty) _torrents.Remove(k);
    }
}

/// <summary>A 160-bit key usable in dictionaries without allocation per lookup.</summary>
public readonly record struct UInt160(ulong A, ulong B, uint C)
{
    public UInt160(ReadOnlySpan<byte> b) : this(
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(b),
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(b[8..]),
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b[16..])) { }
}
