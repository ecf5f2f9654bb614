// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Torrents;

/// <summary>A fixed-size set of piece indices, stored most-significant-bit first as on the wire.</summary>
public sealed class Bitfield
{
    private readonly byte[] _bits;
    public int Length { get; }
    public int Count { get; private set; }

    public Bitfield(int length)
    {
        Length = length;
        _bits = new byte[(length + 7) / 8];
    }

    public bool this[int index] => (_bits[index >> 3] & (0x80 >> (index & 7))) != 0;

    public void Set(int index, bool value)
    {
        int mask = 0x80 >> (index & 7);
        bool had = (_bits[index >> 3] & mask) != 0;
        if (had == value) return;
        if (value) { _bits[index >> 3] |= (byte)mask; Count++; }
        else { _bits[index >> 3] &= (byte)~mask; Count--; }
    }

    public void Clear()
    {
        Array.Clear(_bits);
        Count = 0;
    }

    public bool AllSet => Count == Length;
    public ReadOnlySpan<byte> Bytes => _bits;
}
