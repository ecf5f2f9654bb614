// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TorrentXT.Engine.PeerWire.Encryption;

/// <summary>
/// The RC4 stream cipher as MSE uses it: keyed with a 20-byte SHA-1 and with the first 1024 bytes of
/// keystream thrown away (the early bytes of RC4 are biased). Encrypting and decrypting are the same
/// XOR, done in place over a span, so the per-connection hot path allocates nothing. One instance
/// is one direction of one connection and is not thread-safe: each is used by a single loop.
/// </summary>
public sealed class Rc4
{
    /// <summary>Keystream bytes MSE discards after keying.</summary>
    public const int DiscardLength = 1024;

    private readonly uint[] _s = new uint[256]; // uint, not byte: no partial-register stalls in the loop
    private int _i, _j;

    /// <param name="key">1 to 256 bytes.</param>
    /// <param name="discard">Keystream bytes to skip before the first use (MSE: <see cref="DiscardLength"/>).</param>
    public Rc4(ReadOnlySpan<byte> key, int discard = DiscardLength)
    {
        if (key.Length is 0 or > 256) throw new ArgumentException("an RC4 key is 1 to 256 bytes", nameof(key));
        ArgumentOutOfRangeException.ThrowIfNegative(discard);
        var s = _s;
        for (int k = 0; k < 256; k++) s[k] = (uint)k;
        int j = 0;
        for (int k = 0; k < 256; k++)
        {
            j = (int)((j + s[k] + key[k % key.Length]) & 0xFF);
            (s[k], s[j]) = (s[j], s[k]);
        }
        Skip(discard);
    }

    /// <summary>XORs the keystream into <paramref name="data"/> in place (encrypts or decrypts).</summary>
    public void Process(Span<byte> data)
    {
        // The state table is indexed with values masked to 0..255 and is exactly 256 bytes, so the
        // unchecked reads below stay inside it; this loop is the whole per-byte cost of an
        // encrypted connection, and bounds checks roughly halve its speed.
        ref uint s = ref MemoryMarshal.GetArrayDataReference(_s);
        ref byte d = ref MemoryMarshal.GetReference(data);
        uint i = (uint)_i, j = (uint)_j;
        for (int k = 0; k < data.Length; k++)
        {
            i = (i + 1) & 0xFF;
            uint si = Unsafe.Add(ref s, i);
            j = (j + si) & 0xFF;
            uint sj = Unsafe.Add(ref s, j);
            Unsafe.Add(ref s, i) = sj;
            Unsafe.Add(ref s, j) = si;
            Unsafe.Add(ref d, k) ^= (byte)Unsafe.Add(ref s, (si + sj) & 0xFF);
        }
        _i = (int)i;
        _j = (int)j;
    }

    /// <summary>Advances the keystream by <paramref name="count"/> bytes without using them.</summary>
    public void Skip(int count)
    {
        Span<byte> scratch = stackalloc byte[256];
        while (count > 0)
        {
            int n = Math.Min(count, scratch.Length);
            scratch[..n].Clear();
            Process(scratch[..n]);
            count -= n;
        }
    }
}
