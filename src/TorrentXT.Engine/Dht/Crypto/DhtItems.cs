// SPDX-License-Identifier: MIT
using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace TorrentXT.Engine.Dht;

/// <summary>
/// The local, network-free parts of BEP 44 items as libtorrent computes them (ABI contract §7):
/// targets, the canonical signed message, and signing / verifying mutable items.
/// </summary>
public static class DhtItems
{
    /// <summary>BEP 44 (as libtorrent nodes enforce it) limits the <em>bencoded</em> value to 1000 bytes.</summary>
    public const int MaxValueBencodedBytes = 1000;

    /// <summary>BEP 44 salt limit, in bytes.</summary>
    public const int MaxSaltBytes = 64;

    public const int TargetBytes = 20;

    // Messages up to this size are assembled on the stack; BEP 44-sized ones (at most ~1100 bytes) always are.
    private const int StackLimit = 1280;

    private static ReadOnlySpan<byte> SaltKey => "4:salt"u8;
    private static ReadOnlySpan<byte> SeqKey => "3:seqi"u8;
    private static ReadOnlySpan<byte> SeqEndValueKey => "e1:v"u8;

    /// <summary>Target of an immutable item holding the byte string <paramref name="rawValue"/>: SHA-1("&lt;len&gt;:" + bytes).</summary>
    public static byte[] ImmutableTarget(ReadOnlySpan<byte> rawValue)
    {
        Span<byte> header = stackalloc byte[12];
        int headerLength = WriteStringHeader(header, rawValue.Length);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(header[..headerLength]);
        sha1.AppendData(rawValue);
        return sha1.GetHashAndReset();
    }

    /// <summary>Target of an immutable item whose stored value is already bencoded (any type): SHA-1(v).</summary>
    public static byte[] ImmutableTargetOfBencoded(ReadOnlySpan<byte> bencodedValue) => SHA1.HashData(bencodedValue);

    /// <summary>Target of a mutable item: SHA-1(pk ‖ salt); an empty salt adds nothing.</summary>
    public static byte[] MutableTarget(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> salt)
    {
        if (publicKey.Length != Ed25519Keys.PublicKeyBytes)
            throw new ArgumentException($"must be {Ed25519Keys.PublicKeyBytes} bytes, got {publicKey.Length}", nameof(publicKey));
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(publicKey);
        sha1.AppendData(salt);
        return sha1.GetHashAndReset();
    }

    /// <summary>The bencoded string "&lt;len&gt;:&lt;bytes&gt;", which is how a put stores raw bytes as the value v.</summary>
    public static byte[] EncodeStringValue(ReadOnlySpan<byte> raw)
    {
        Span<byte> header = stackalloc byte[12];
        int headerLength = WriteStringHeader(header, raw.Length);
        byte[] encoded = new byte[headerLength + raw.Length];
        header[..headerLength].CopyTo(encoded);
        raw.CopyTo(encoded.AsSpan(headerLength));
        return encoded;
    }

    /// <summary>
    /// The message a mutable item's signature covers: "4:salt&lt;n&gt;:&lt;salt&gt;" (only for a non-empty salt),
    /// then "3:seqi&lt;seq&gt;e1:v", then the <em>bencoded</em> value. Signing the raw bytes instead was the
    /// original's "feeds never arrive" bug.
    /// </summary>
    public static byte[] MutableSignedMessage(ReadOnlySpan<byte> salt, long seq, ReadOnlySpan<byte> bencodedValue)
    {
        byte[] message = new byte[MutableSignedMessageLength(salt.Length, seq, bencodedValue.Length)];
        WriteMutableSignedMessage(message, salt, seq, bencodedValue);
        return message;
    }

    /// <summary>Length of <see cref="MutableSignedMessage"/>'s result.</summary>
    public static int MutableSignedMessageLength(int saltLength, long seq, int bencodedValueLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(saltLength);
        ArgumentOutOfRangeException.ThrowIfNegative(bencodedValueLength);
        Span<byte> scratch = stackalloc byte[20];
        Utf8Formatter.TryFormat(seq, scratch, out int seqDigits);
        long length = SeqKey.Length + seqDigits + SeqEndValueKey.Length + (long)bencodedValueLength;
        if (saltLength > 0)
            length += SaltKey.Length + WriteStringHeader(scratch, saltLength) + saltLength;
        return checked((int)length);
    }

    /// <summary>Writes <see cref="MutableSignedMessage"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WriteMutableSignedMessage(Span<byte> destination, ReadOnlySpan<byte> salt, long seq, ReadOnlySpan<byte> bencodedValue)
    {
        int needed = MutableSignedMessageLength(salt.Length, seq, bencodedValue.Length);
        if (destination.Length < needed)
            throw new ArgumentException($"needs {needed} bytes, has {destination.Length}", nameof(destination));

        int at = 0;
        if (!salt.IsEmpty)
        {
            at += Put(destination[at..], SaltKey);
            at += WriteStringHeader(destination[at..], salt.Length);
            at += Put(destination[at..], salt);
        }
        at += Put(destination[at..], SeqKey);
        Utf8Formatter.TryFormat(seq, destination[at..], out int digits);
        at += digits;
        at += Put(destination[at..], SeqEndValueKey);
        at += Put(destination[at..], bencodedValue);
        return at;
    }

    /// <summary>
    /// libtorrent's sign_mutable_item: the Ed25519 signature (expanded secret key) of the canonical message.
    /// </summary>
    /// <remarks>
    /// libtorrent assembles the message in a fixed 1,200-byte buffer and silently truncates what does not fit,
    /// so a long salt with a long value is signed over a cut-off message that no node can verify (§7). We do
    /// NOT reproduce that: we always sign the full message. The oversize inputs that triggered it (salt over
    /// 64 bytes, bencoded value over 1000 bytes) are refused up front instead (§9.0 D8), and within those
    /// limits the message always fits in 1,200 bytes, so for every accepted input our signature is libtorrent's.
    /// </remarks>
    public static byte[] SignMutableItem(ReadOnlySpan<byte> bencodedValue, ReadOnlySpan<byte> salt, long seq,
        ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> expandedSecretKey)
    {
        int length = MutableSignedMessageLength(salt.Length, seq, bencodedValue.Length);
        byte[]? rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> message = rented is null ? stackalloc byte[StackLimit] : rented;
        try
        {
            WriteMutableSignedMessage(message, salt, seq, bencodedValue);
            return Ed25519Keys.SignExpanded(message[..length], publicKey, expandedSecretKey);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Checks a mutable item's signature against its canonical message.</summary>
    public static bool VerifyMutableItem(ReadOnlySpan<byte> bencodedValue, ReadOnlySpan<byte> salt, long seq,
        ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature)
    {
        int length = MutableSignedMessageLength(salt.Length, seq, bencodedValue.Length);
        byte[]? rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> message = rented is null ? stackalloc byte[StackLimit] : rented;
        try
        {
            WriteMutableSignedMessage(message, salt, seq, bencodedValue);
            return Ed25519Keys.Verify(message[..length], signature, publicKey);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes "&lt;length&gt;:" and returns its size (at most 11 bytes for an int).</summary>
    private static int WriteStringHeader(Span<byte> destination, int length)
    {
        Utf8Formatter.TryFormat(length, destination, out int digits);
        destination[digits] = (byte)':';
        return digits + 1;
    }

    private static int Put(Span<byte> destination, ReadOnlySpan<byte> source)
    {
        source.CopyTo(destination);
        return source.Length;
    }
}
