// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Dht;

/// <summary>A stored BEP 44 item. Immutable items have no key, signature or sequence number.</summary>
public sealed class StoredItem
{
    /// <summary>The bencoded value v, exactly as put.</summary>
    public required byte[] Value { get; init; }
    public byte[]? PublicKey { get; init; }
    public byte[]? Signature { get; init; }
    public byte[] Salt { get; init; } = [];
    public long Seq { get; init; }
    public long LastPut { get; set; }
    public bool Mutable => PublicKey is not null;
}

/// <summary>
/// BEP 44 items our node keeps for others, bounded by dht_max_dht_items and expiring after
/// dht_item_lifetime (0: 2 hours) without a re-put. Validation (size, signature, seq, CAS) happens
/// before <see cref="Put"/>; when full, the least recently put item makes room.
/// </summary>
public sealed class ItemStore(DhtConfig config)
{
    private readonly Dictionary<UInt160, StoredItem> _items = new();

    public int Count => _items.Count;

    public StoredItem? Get(ReadOnlySpan<byte> target) => _items.GetValueOrDefault(new UInt160(target));

    public void Put(ReadOnlySpan<byte> target, StoredItem item)
    {
        if (config.MaxItems <= 0) return;
        var key = new UInt160(target);
        if (!_items.ContainsKey(key) && _items.Count >= config.MaxItems)
            _items.Remove(_items.MinBy(kv => kv.Value.LastPut).Key);
        _items[key] = item;
    }

    public void Expire(long now)
    {
        long lifetime = (config.ItemLifetime > 0 ? TimeSpan.FromSeconds(config.ItemLifetime) : TimeSpan.FromHours(2)).Ticks;
        foreach (var key in _items.Where(kv => now - kv.Value.LastPut > lifetime).Select(kv => kv.Key).ToList())
            _items.Remove(key);
    }
}
