// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace TorrentXT.Engine.Picking;

/// <summary>
/// Word-at-a-time access to piece sets. Every mask in the picker keeps piece i in word i / 64 at bit
/// 63 - i % 64, which is exactly what reading a wire bitfield (most significant bit first) eight
/// bytes at a time in big-endian order gives, so masks and peer bitfields AND together directly.
/// </summary>
internal static class PeerBits
{
    public static int WordCount(int pieces) => (pieces + 63) >> 6;

    public static ulong Bit(int piece) => 0x8000_0000_0000_0000UL >> (piece & 63);

    public static bool Test(ulong[] mask, int piece) => (mask[piece >> 6] & Bit(piece)) != 0;

    public static void Set(ulong[] mask, int piece, bool value)
    {
        if (value) mask[piece >> 6] |= Bit(piece);
        else mask[piece >> 6] &= ~Bit(piece);
    }

    /// <summary>Word <paramref name="word"/> of a wire bitfield, zero-padded past its end.</summary>
    public static ulong Word(ReadOnlySpan<byte> bits, int word)
    {
        int at = word << 3;
        if (at + 8 <= bits.Length) return BinaryPrimitives.ReadUInt64BigEndian(bits.Slice(at, 8));
        ulong w = 0;
        for (int i = 0; i < 8; i++)
        {
            w <<= 8;
            if (at + i < bits.Length) w |= bits[at + i];
        }
        return w;
    }

    /// <summary>Whether a mask and a wire bitfield share a set bit.</summary>
    public static bool Intersects(ulong[] mask, ReadOnlySpan<byte> bits)
    {
        var full = MemoryMarshal.Cast<byte, ulong>(bits[..(bits.Length & ~7)]);
        int n = Math.Min(full.Length, mask.Length);
        for (int w = 0; w < n; w++)
        {
            ulong peer = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(full[w]) : full[w];
            if ((mask[w] & peer) != 0) return true;
        }
        for (int w = n; w < mask.Length; w++)
            if ((mask[w] & Word(bits, w)) != 0) return true;
        return false;
    }

    /// <summary>The piece of the highest set bit of a word (the lowest piece index in it).</summary>
    public static int FirstPiece(int word, ulong bits) => (word << 6) + BitOperations.LeadingZeroCount(bits);

    /// <summary>Clears the bit <see cref="FirstPiece"/> returned.</summary>
    public static ulong ClearFirst(ulong bits) => bits & ~(0x8000_0000_0000_0000UL >> BitOperations.LeadingZeroCount(bits));
}

/// <summary>Enumerates the set bits of a wire bitfield, skipping runs of zero bytes with a
/// vectorised search: cheap for the sparse bitfields it is used on.</summary>
internal ref struct SetBits(ReadOnlySpan<byte> bits)
{
    private readonly ReadOnlySpan<byte> _bits = bits;
    private int _byte = -1;
    private uint _rest;

    public int Current { get; private set; } = -1;

    public bool MoveNext()
    {
        while (_rest == 0)
        {
            int from = _byte + 1;
            if (from >= _bits.Length) return false;
            int skip = _bits[from..].IndexOfAnyExcept((byte)0);
            if (skip < 0) { _byte = _bits.Length; return false; }
            _byte = from + skip;
            _rest = _bits[_byte];
        }
        int bit = BitOperations.LeadingZeroCount(_rest) - 24;
        _rest &= ~(0x80u >> bit);
        Current = (_byte << 3) + bit;
        return true;
    }
}
