// SPDX-License-Identifier: MIT
using System.Buffers;
using System.Globalization;
using System.Text;

namespace TorrentXT.Engine.Bencoding;

/// <summary>
/// A forward-only bencode writer. The caller writes dictionary keys in sorted (raw byte) order;
/// <see cref="BDict"/> does the sorting for callers that build values first.
/// </summary>
public sealed class BencodeWriter
{
    private readonly ArrayBufferWriter<byte> _out;

    public BencodeWriter(int initialCapacity = 256) => _out = new ArrayBufferWriter<byte>(initialCapacity);

    public ReadOnlySpan<byte> WrittenSpan => _out.WrittenSpan;
    public byte[] ToArray() => _out.WrittenSpan.ToArray();

    public BencodeWriter Integer(long value)
    {
        Span<byte> tmp = stackalloc byte[24];
        tmp[0] = (byte)'i';
        value.TryFormat(tmp[1..], out int n, default, CultureInfo.InvariantCulture);
        tmp[n + 1] = (byte)'e';
        _out.Write(tmp[..(n + 2)]);
        return this;
    }

    public BencodeWriter String(ReadOnlySpan<byte> bytes)
    {
        Span<byte> tmp = stackalloc byte[12];
        bytes.Length.TryFormat(tmp, out int n, default, CultureInfo.InvariantCulture);
        tmp[n] = (byte)':';
        _out.Write(tmp[..(n + 1)]);
        _out.Write(bytes);
        return this;
    }

    public BencodeWriter String(string text) => String(Encoding.UTF8.GetBytes(text));

    /// <summary>Copies already-encoded bencode verbatim (for example an info dictionary).</summary>
    public BencodeWriter RawValue(ReadOnlySpan<byte> encoded) { _out.Write(encoded); return this; }

    public BencodeWriter BeginList() { _out.Write("l"u8); return this; }
    public BencodeWriter BeginDictionary() { _out.Write("d"u8); return this; }
    public BencodeWriter End() { _out.Write("e"u8); return this; }

    /// <summary>Encodes a tree built from <see cref="BNode"/>s.</summary>
    public BencodeWriter Value(BNode node)
    {
        node.WriteTo(this);
        return this;
    }

    public static byte[] Encode(BNode node) => new BencodeWriter().Value(node).ToArray();
}

/// <summary>A value to be encoded: build trees with these, then <see cref="BencodeWriter.Encode"/>.</summary>
public abstract class BNode
{
    internal abstract void WriteTo(BencodeWriter w);
    public static implicit operator BNode(long v) => new BInt(v);
    public static implicit operator BNode(string s) => new BBytes(Encoding.UTF8.GetBytes(s));
    public static implicit operator BNode(byte[] b) => new BBytes(b);
}

public sealed class BInt(long value) : BNode
{
    public long Value { get; } = value;
    internal override void WriteTo(BencodeWriter w) => w.Integer(Value);
}

public sealed class BBytes(ReadOnlyMemory<byte> value) : BNode
{
    public ReadOnlyMemory<byte> Value { get; } = value;
    internal override void WriteTo(BencodeWriter w) => w.String(Value.Span);
}

/// <summary>Pre-encoded bencode inserted verbatim.</summary>
public sealed class BRaw(ReadOnlyMemory<byte> encoded) : BNode
{
    public ReadOnlyMemory<byte> Encoded { get; } = encoded;
    internal override void WriteTo(BencodeWriter w) => w.RawValue(Encoded.Span);
}

public sealed class BList : BNode, IEnumerable<BNode>
{
    private readonly List<BNode> _items = new();
    public int Count => _items.Count;
    public void Add(BNode item) => _items.Add(item);
    public IEnumerator<BNode> GetEnumerator() => _items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _items.GetEnumerator();
    internal override void WriteTo(BencodeWriter w)
    {
        w.BeginList();
        foreach (var i in _items) i.WriteTo(w);
        w.End();
    }
}

/// <summary>A dictionary whose keys are written in raw byte order, as bencode requires.</summary>
public sealed class BDict : BNode, IEnumerable<KeyValuePair<byte[], BNode>>
{
    private readonly SortedList<byte[], BNode> _entries = new(ByteOrder.Instance);
    public int Count => _entries.Count;
    public void Add(string key, BNode value) => _entries[Encoding.UTF8.GetBytes(key)] = value;
    public void Add(byte[] key, BNode value) => _entries[key] = value;
    public BNode this[string key] { set => Add(key, value); }
    public IEnumerator<KeyValuePair<byte[], BNode>> GetEnumerator() => _entries.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _entries.GetEnumerator();
    internal override void WriteTo(BencodeWriter w)
    {
        w.BeginDictionary();
        foreach (var e in _entries)
        {
            w.String(e.Key);
            e.Value.WriteTo(w);
        }
        w.End();
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
