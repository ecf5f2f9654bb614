// SPDX-License-Identifier: MIT
using System.Text;

namespace TorrentXT.Engine.Bencoding;

/// <summary>The four bencode value kinds.</summary>
public enum BKind { Integer, String, List, Dictionary }

/// <summary>
/// One decoded bencode value. Strings and the <see cref="Raw"/> encoding are slices of the
/// decoded buffer (no copies), so the exact bytes of an info dictionary stay available for hashing.
/// </summary>
public sealed class BValue
{
    private static readonly List<BValue> NoItems = new();
    private static readonly List<KeyValuePair<ReadOnlyMemory<byte>, BValue>> NoEntries = new();

    public BKind Kind { get; }
    public long Integer { get; }
    /// <summary>The string's bytes (only for <see cref="BKind.String"/>).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }
    /// <summary>The exact encoded bytes of this value in the source buffer.</summary>
    public ReadOnlyMemory<byte> Raw { get; internal set; }
    public IReadOnlyList<BValue> Items { get; }
    /// <summary>Dictionary entries in source order (keys are raw byte strings).</summary>
    public IReadOnlyList<KeyValuePair<ReadOnlyMemory<byte>, BValue>> Entries { get; }

    internal BValue(long integer) { Kind = BKind.Integer; Integer = integer; Items = NoItems; Entries = NoEntries; }
    internal BValue(ReadOnlyMemory<byte> bytes) { Kind = BKind.String; Bytes = bytes; Items = NoItems; Entries = NoEntries; }
    internal BValue(List<BValue> items) { Kind = BKind.List; Items = items; Entries = NoEntries; }
    internal BValue(List<KeyValuePair<ReadOnlyMemory<byte>, BValue>> entries) { Kind = BKind.Dictionary; Entries = entries; Items = NoItems; }

    public bool IsInteger => Kind == BKind.Integer;
    public bool IsString => Kind == BKind.String;
    public bool IsList => Kind == BKind.List;
    public bool IsDictionary => Kind == BKind.Dictionary;

    /// <summary>The string's bytes decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
    public string Text => Encoding.UTF8.GetString(Bytes.Span);

    /// <summary>Looks a key up in a dictionary; null when absent or when this is not a dictionary.</summary>
    public BValue? this[string key] => Get(key);

    public BValue? Get(string key)
    {
        if (Kind != BKind.Dictionary) return null;
        Span<byte> k = key.Length <= 128 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        int n = Encoding.UTF8.GetBytes(key, k);
        return Get(k[..n]);
    }

    public BValue? Get(ReadOnlySpan<byte> key)
    {
        foreach (var e in Entries)
            if (e.Key.Span.SequenceEqual(key)) return e.Value;
        return null;
    }

    public BValue? GetDictionary(string key) => Get(key) is { Kind: BKind.Dictionary } v ? v : null;
    public BValue? GetList(string key) => Get(key) is { Kind: BKind.List } v ? v : null;
    public BValue? GetString(string key) => Get(key) is { Kind: BKind.String } v ? v : null;
    public long? GetInteger(string key) => Get(key) is { Kind: BKind.Integer } v ? v.Integer : null;
}
