// SPDX-License-Identifier: MIT
using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace TorrentXT.Native.Records;

/// <summary>
/// The measure-or-write record encoder of contract §3.4. Every primitive (u8, big-endian u16, or a
/// value's byte run) advances <see cref="Position"/> by its full size, but is stored only when all
/// of its bytes fit below the capacity; a u16 back-patch is stored only when both bytes fit. So a
/// capacity of 0 measures, and an undersized buffer receives exactly the prefix of whole primitives
/// that fit (with in-range counts patched). No byte at or past the capacity is ever touched.
/// </summary>
/// <remarks>
/// One record is open at a time (fields are counted for it); a list holds records as entries.
/// u16 counts and <c>bodyLen</c> wrap modulo 65,536 as in the original; lists refuse entries past
/// <see cref="MaxListEntries"/> (decision D11) so that their count never wraps.
/// </remarks>
public ref struct RecordWriter
{
    /// <summary>Longest value a field carries; longer values are truncated to it (§3.2).</summary>
    public const int MaxValueLength = ushort.MaxValue;

    /// <summary>Most entries a list takes (D11): the caller stops there and sets the last error.</summary>
    public const int MaxListEntries = ushort.MaxValue;

    private readonly Span<byte> _buffer;
    private int _position;
    private int _recordAt;
    private int _fieldCount;
    private int _listAt;
    private int _listCount;
    private int _entryAt;

    /// <summary>A writer over <paramref name="buffer"/>; its length is the capacity.</summary>
    public RecordWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _recordAt = _listAt = _entryAt = -1;
    }

    /// <summary>A writer over a caller's buffer. A null pointer or a capacity below 1 means capacity 0.</summary>
    public unsafe RecordWriter(byte* output, int capacity)
        : this(output == null || capacity <= 0 ? Span<byte>.Empty : new Span<byte>(output, capacity))
    {
    }

    /// <summary>Bytes produced so far, stored or not.</summary>
    public readonly int Position => _position;

    public readonly int Capacity => _buffer.Length;

    /// <summary>True while everything produced so far has been stored.</summary>
    public readonly bool Fits => _position <= _buffer.Length;

    /// <summary>Entries in the open list so far.</summary>
    public readonly int ListCount => _listCount;

    /// <summary>True once the open list holds <see cref="MaxListEntries"/> entries.</summary>
    public readonly bool ListFull => _listCount >= MaxListEntries;

    /// <summary><see cref="Position"/> if everything fit, otherwise <c>-Position</c> (the size needed).</summary>
    public readonly int Finish() => _position <= _buffer.Length ? _position : -_position;

    // ---- primitives -------------------------------------------------------------------------

    public void U8(byte value)
    {
        if (_position < _buffer.Length)
            _buffer[_position] = value;
        _position += 1;
    }

    public void U16(ushort value)
    {
        PatchU16(_position, value);
        _position += 2;
    }

    /// <summary>One byte run, stored only if all of it fits.</summary>
    public void Bytes(scoped ReadOnlySpan<byte> value)
    {
        if (Room(value.Length))
            value.CopyTo(_buffer.Slice(_position));
        _position += value.Length;
    }

    /// <summary>Stores a big-endian u16 at <paramref name="at"/> if both bytes are inside the capacity.</summary>
    public readonly void PatchU16(int at, ushort value)
    {
        if (at >= 0 && at <= _buffer.Length - 2)
        {
            _buffer[at] = (byte)(value >> 8);
            _buffer[at + 1] = (byte)value;
        }
    }

    // ---- records ----------------------------------------------------------------------------

    /// <summary>Starts a kvrecord: a placeholder field count, patched by <see cref="EndRecord"/>.</summary>
    public void BeginRecord()
    {
        _recordAt = _position;
        _fieldCount = 0;
        U16(0);
    }

    public void EndRecord()
    {
        PatchU16(_recordAt, (ushort)_fieldCount);
        _recordAt = -1;
    }

    /// <summary>A field with an already encoded value (truncated to <see cref="MaxValueLength"/>).</summary>
    public void Field(byte id, FieldType type, scoped ReadOnlySpan<byte> value)
    {
        int length = Math.Min(value.Length, MaxValueLength);
        FieldHeader(id, type, length);
        Bytes(value[..length]);
    }

    /// <summary>An int field: <c>%lld</c> of the value.</summary>
    public void Int(byte id, long value)
    {
        Span<byte> text = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, text, out int length);
        Field(id, FieldType.Int, text[..length]);
    }

    /// <summary>A real field: C's <c>%.6g</c> of the value.</summary>
    public void Real(byte id, double value)
    {
        Span<byte> text = stackalloc byte[CFormat.G6MaxLength];
        Field(id, FieldType.Real, text[..CFormat.G6(value, text)]);
    }

    public void Utf8(byte id, scoped ReadOnlySpan<byte> value) => Field(id, FieldType.Utf8, value);

    /// <summary>A utf8 field from a string (a null string is written empty).</summary>
    public void Utf8(byte id, string? value)
    {
        value ??= string.Empty;
        int total = Encoding.UTF8.GetByteCount(value);
        int length = Math.Min(total, MaxValueLength);
        FieldHeader(id, FieldType.Utf8, length);
        if (Room(length))
        {
            if (length == total)
            {
                Encoding.UTF8.GetBytes(value, _buffer.Slice(_position, length));
            }
            else
            {
                // Rare: the string is longer than a field can hold; truncate its bytes like the original.
                byte[] scratch = ArrayPool<byte>.Shared.Rent(total);
                Encoding.UTF8.GetBytes(value, scratch);
                scratch.AsSpan(0, length).CopyTo(_buffer.Slice(_position));
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
        _position += length;
    }

    public void Raw(byte id, scoped ReadOnlySpan<byte> value) => Field(id, FieldType.Raw, value);

    /// <summary>A hex field: the bytes as lower-case hex (truncated to <see cref="MaxValueLength"/> characters).</summary>
    public void Hex(byte id, scoped ReadOnlySpan<byte> bytes)
    {
        int length = (int)Math.Min(2L * bytes.Length, MaxValueLength);
        FieldHeader(id, FieldType.Hex, length);
        if (Room(length))
            global::TorrentXT.Native.Records.Hex.WriteLower(bytes, _buffer.Slice(_position, length));
        _position += length;
    }

    // ---- lists: n:u16 then n × (bodyLen:u16 kvrecord) -----------------------------------------

    public void BeginList()
    {
        _listAt = _position;
        _listCount = 0;
        U16(0);
    }

    /// <summary>
    /// Opens the next entry's record (bodyLen placeholder plus record), or returns false when the
    /// list already holds <see cref="MaxListEntries"/> entries.
    /// </summary>
    public bool TryBeginEntry()
    {
        if (ListFull)
            return false;
        _entryAt = _position;
        U16(0);
        BeginRecord();
        return true;
    }

    public void EndEntry()
    {
        EndRecord();
        PatchBodyLength();
        _listCount++;
    }

    public void EndList()
    {
        PatchU16(_listAt, (ushort)_listCount);
        _listAt = -1;
    }

    // ---- one alert entry: alertType:u16 bodyLen:u16 kvrecord (§3.3) ---------------------------

    public void BeginAlertEntry(ushort alertType)
    {
        U16(alertType);
        _entryAt = _position;
        U16(0);
        BeginRecord();
    }

    public void EndAlertEntry()
    {
        EndRecord();
        PatchBodyLength();
    }

    private void PatchBodyLength()
    {
        // bodyLen counts the record including its own count, and wraps like the original's u16.
        PatchU16(_entryAt, (ushort)(_position - _entryAt - 2));
        _entryAt = -1;
    }

    private void FieldHeader(byte id, FieldType type, int length)
    {
        U8(id);
        U8((byte)type);
        U16((ushort)length);
        _fieldCount++;
    }

    private readonly bool Room(int size) => size <= _buffer.Length - _position;
}
