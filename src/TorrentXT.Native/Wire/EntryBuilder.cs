// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Globalization;
using TorrentXT.Native.Records;

namespace TorrentXT.Native.Wire;

/// <summary>
/// Builds one alert entry (alertType u16, bodyLen u16, kvrecord) into an owned array: the drain
/// must know an entry's exact size before deciding to write or stash it, and the stash keeps it.
/// </summary>
internal sealed class EntryBuilder
{
    private byte[] _buf = new byte[128];
    private int _pos;
    private int _fields;

    public EntryBuilder(int alertType)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buf, (ushort)alertType);
        _pos = 6; // type, bodyLen, field count
    }

    public EntryBuilder Int(int id, long value)
    {
        Span<byte> text = stackalloc byte[24];
        value.TryFormat(text, out int n, default, CultureInfo.InvariantCulture);
        return Field(id, FieldType.Int, text[..n]);
    }

    public EntryBuilder Utf8(int id, string value) => Field(id, FieldType.Utf8, System.Text.Encoding.UTF8.GetBytes(value));
    public EntryBuilder Raw(int id, ReadOnlySpan<byte> value) => Field(id, FieldType.Raw, value);
    public EntryBuilder Hex(int id, ReadOnlySpan<byte> value) => Field(id, FieldType.Hex, System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(value)));

    private EntryBuilder Field(int id, FieldType type, ReadOnlySpan<byte> value)
    {
        // Values longer than a u16 are cut to 65,535 bytes (contract §3.2).
        if (value.Length > ushort.MaxValue) value = value[..ushort.MaxValue];
        Ensure(4 + value.Length);
        _buf[_pos] = (byte)id;
        _buf[_pos + 1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(_buf.AsSpan(_pos + 2), (ushort)value.Length);
        value.CopyTo(_buf.AsSpan(_pos + 4));
        _pos += 4 + value.Length;
        _fields++;
        return this;
    }

    public byte[] Build()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buf.AsSpan(2), (ushort)(_pos - 4));
        BinaryPrimitives.WriteUInt16BigEndian(_buf.AsSpan(4), (ushort)_fields);
        return _buf.AsSpan(0, _pos).ToArray();
    }

    private void Ensure(int more)
    {
        if (_pos + more <= _buf.Length) return;
        Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _pos + more));
    }
}
