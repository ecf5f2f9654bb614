// SPDX-License-Identifier: MIT
using System.Net;

namespace TorrentXT.Engine.Dht;

/// <summary>A routing-table entry with its liveness.</summary>
public sealed class RoutingNode(byte[] id, IPEndPoint endPoint)
{
    public byte[] Id { get; } = id;
    public IPEndPoint EndPoint { get; set; } = endPoint;
    public long LastSeen { get; set; }
    /// <summary>It has answered one of our queries (only such nodes are handed out to others).</summary>
    public bool Confirmed { get; set; }
    public int FailCount { get; set; }
    /// <summary>Its id satisfies BEP 42 for its address.</summary>
    public bool Verified { get; set; }
    /// <summary>We pinged it to confirm it after it queried us (once).</summary>
    public bool PingSent { get; set; }
    public NodeInfo Info => new(Id, EndPoint);
}

/// <summary>
/// Kademlia routing table: bucket i holds nodes sharing exactly i leading bits with our id, at
/// most K live nodes each plus a replacement cache of K. Nodes that fail are replaced from the
/// cache; unconfirmed or failing nodes give way to fresh ones. With dht_restrict_routing_ips an
/// IP appears once in the table and a /24 (/64) once per bucket. Not thread-safe: the owning node
/// runs on one dispatcher thread.
/// </summary>
public sealed class RoutingTable
{
    public const int K = 8;
    private const int BucketCount = NodeId.Bytes * 8;

    private sealed class Bucket
    {
        public readonly List<RoutingNode> Live = new(K);
        public readonly List<RoutingNode> Cache = new(K);
        public long LastActive;
    }

    private readonly Bucket[] _buckets = new Bucket[BucketCount];
    private readonly DhtConfig _config;

    public byte[] OwnId { get; private set; }

    public RoutingTable(byte[] ownId, DhtConfig config)
    {
        OwnId = ownId;
        _config = config;
        for (int i = 0; i < BucketCount; i++) _buckets[i] = new Bucket();
    }

    public int LiveCount { get { int n = 0; foreach (var b in _buckets) n += b.Live.Count; return n; } }
    public int CacheCount { get { int n = 0; foreach (var b in _buckets) n += b.Cache.Count; return n; } }

    private Bucket BucketFor(ReadOnlySpan<byte> id) => _buckets[Math.Min(NodeId.CommonPrefixBits(OwnId, id), BucketCount - 1)];

    /// <summary>
    /// Records that we heard from a node. <paramref name="responded"/>: it answered our query
    /// (confirms it); otherwise it only queried us and enters only where there is room.
    /// Returns false when the node was refused (our own id, restricted IP).
    /// </summary>
    public bool Heard(byte[] id, IPEndPoint ep, bool responded, bool verified, long now) =>
        Observe(id, ep, responded, verified, now) is not null;

    /// <summary><see cref="Heard"/>, returning the entry (live or cached), or null when refused.</summary>
    public RoutingNode? Observe(byte[] id, IPEndPoint ep, bool responded, bool verified, long now)
    {
        if (id.AsSpan().SequenceEqual(OwnId)) return null;
        var bucket = BucketFor(id);
        bucket.LastActive = now;
        var existing = Find(bucket.Live, id) ?? Find(bucket.Cache, id);
        if (existing is not null)
        {
            // An id moving to another endpoint is a spoofing risk: keep the old one until it fails.
            if (!existing.EndPoint.Equals(ep)) { if (existing.FailCount == 0) return null; existing.EndPoint = ep; }
            existing.LastSeen = now;
            if (responded) { existing.Confirmed = true; existing.FailCount = 0; }
            if (bucket.Cache.Contains(existing) && responded) TryPromote(bucket, existing);
            return existing;
        }
        if (_config.RestrictRoutingIps && !IpAllowed(bucket, ep.Address)) return null;
        var node = new RoutingNode(id, ep) { LastSeen = now, Confirmed = responded, Verified = verified };
        if (bucket.Live.Count < K) { bucket.Live.Add(node); return node; }
        // Full: a node that never answered or is failing gives way to a responsive newcomer.
        if (responded)
        {
            int worst = -1;
            for (int i = 0; i < bucket.Live.Count; i++)
            {
                var n = bucket.Live[i];
                if (n.FailCount > 0 || !n.Confirmed || (_config.EnforceNodeId && !n.Verified))
                    if (worst < 0 || n.FailCount > bucket.Live[worst].FailCount) worst = i;
            }
            if (worst >= 0) { bucket.Live[worst] = node; return node; }
        }
        if (bucket.Cache.Count >= K) bucket.Cache.RemoveAt(0); // oldest out
        bucket.Cache.Add(node);
        return node;
    }

    private void TryPromote(Bucket bucket, RoutingNode node)
    {
        if (bucket.Live.Count < K) { bucket.Cache.Remove(node); bucket.Live.Add(node); }
    }

    /// <summary>A request to this node timed out. Too many failures (or any, for an unconfirmed node) remove it.</summary>
    public void Failed(byte[] id, IPEndPoint ep)
    {
        var bucket = BucketFor(id);
        var node = Find(bucket.Live, id);
        if (node is null)
        {
            var cached = Find(bucket.Cache, id);
            if (cached is not null && cached.EndPoint.Equals(ep)) bucket.Cache.Remove(cached);
            return;
        }
        if (!node.EndPoint.Equals(ep)) return;
        node.FailCount++;
        bool replaceable = bucket.Cache.Count > 0;
        if (node.FailCount >= _config.MaxFailCount || !node.Confirmed || (replaceable && node.FailCount >= 2))
        {
            bucket.Live.Remove(node);
            // Promote the most recently seen replacement.
            if (bucket.Cache.Count > 0)
            {
                var best = bucket.Cache.MaxBy(n => n.LastSeen)!;
                bucket.Cache.Remove(best);
                bucket.Live.Add(best);
            }
        }
    }

    /// <summary>The <paramref name="count"/> live nodes closest to <paramref name="target"/> (confirmed ones first).</summary>
    public List<NodeInfo> Closest(ReadOnlySpan<byte> target, int count, bool includeUnconfirmed = true)
    {
        var all = new List<RoutingNode>();
        foreach (var b in _buckets)
            foreach (var n in b.Live)
                if (includeUnconfirmed || n.Confirmed) all.Add(n);
        var t = target.ToArray();
        all.Sort((a, b) => NodeId.CompareDistance(t, a.Id, b.Id));
        var result = new List<NodeInfo>(Math.Min(count, all.Count));
        for (int i = 0; i < all.Count && result.Count < count; i++) result.Add(all[i].Info);
        return result;
    }

    /// <summary>
    /// An estimate of how many nodes the whole DHT has (contract D6), from how close our nearest
    /// neighbours are. Node ids are uniform, so among N nodes the i-th closest to any point lies at
    /// about i/(N+1) of the id space; each of our K nearest live nodes gives such an estimate and
    /// their mean is returned. With fewer than K nodes known, the count of live nodes.
    /// </summary>
    public long EstimateNetworkSize()
    {
        var nearest = Closest(OwnId, K, includeUnconfirmed: false);
        if (nearest.Count < K) return LiveCount;
        double sum = 0;
        for (int i = 0; i < nearest.Count; i++)
        {
            // The distance's top 64 bits as a fraction of the id space; 2^-64 is far below any real spacing.
            double fraction = Math.Max(NodeId.DistancePrefix(OwnId, nearest[i].Id), 1UL) / 18446744073709551616.0;
            sum += (i + 1) / fraction - 1;
        }
        return Math.Max(LiveCount, (long)Math.Min(sum / nearest.Count, long.MaxValue / 2));
    }

    /// <summary>Every live node (for saving state).</summary>
    public IEnumerable<RoutingNode> AllLive()
    {
        foreach (var b in _buckets) foreach (var n in b.Live) yield return n;
    }

    /// <summary>The index of a bucket not heard from since <paramref name="staleBefore"/>, for a refresh lookup; -1 if none.</summary>
    public int StaleBucket(long staleBefore, long now)
    {
        // Only buckets up to the deepest non-empty one can ever fill; deeper ones are refreshed through it.
        int deepest = -1;
        for (int i = 0; i < BucketCount; i++) if (_buckets[i].Live.Count > 0) deepest = i;
        for (int i = 0; i <= Math.Min(deepest + 1, BucketCount - 1); i++)
        {
            if (_buckets[i].LastActive < staleBefore) { _buckets[i].LastActive = now; return i; }
        }
        return -1;
    }

    /// <summary>The live node heard from longest ago, if older than <paramref name="staleBefore"/> (to ping it).</summary>
    public RoutingNode? LeastRecentlySeen(long staleBefore)
    {
        RoutingNode? oldest = null;
        foreach (var b in _buckets)
            foreach (var n in b.Live)
                if (n.LastSeen < staleBefore && (oldest is null || n.LastSeen < oldest.LastSeen)) oldest = n;
        return oldest;
    }

    public bool Contains(ReadOnlySpan<byte> id) => Find(BucketFor(id).Live, id) is not null;

    private bool IpAllowed(Bucket bucket, IPAddress ip)
    {
        foreach (var b in _buckets)
            foreach (var n in b.Live)
                if (n.EndPoint.Address.Equals(ip)) return false;
        var prefix = Compact.Prefix(ip);
        foreach (var n in bucket.Live)
            if (Compact.Prefix(n.EndPoint.Address) == prefix) return false;
        return true;
    }

    private static RoutingNode? Find(List<RoutingNode> list, ReadOnlySpan<byte> id)
    {
        foreach (var n in list) if (n.Id.AsSpan().SequenceEqual(id)) return n;
        return null;
    }
}
