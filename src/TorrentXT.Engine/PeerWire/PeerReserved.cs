// SPDX-License-Identifier: MIT
using System.Buffers.Binary;

namespace TorrentXT.Engine.PeerWire;

/// <summary>
/// The 8 reserved handshake bytes, kept as one big-endian 64-bit value so that byte r[i], bit m is
/// bit (56 - 8 i) of the value. Only the bits this engine understands have names; the others survive
/// a decode/encode round trip untouched.
/// </summary>
public readonly record struct PeerReserved(ulong Bits)
{
    /// <summary>BEP 10 extension protocol: reserved[5] &amp; 0x10.</summary>
    public const ulong ExtensionProtocolBit = 0x10UL << 16;
    /// <summary>BEP 52 upgrade to v2: reserved[7] &amp; 0x10.</summary>
    public const ulong V2Bit = 0x10UL;
    /// <summary>BEP 6 fast extension: reserved[7] &amp; 0x04.</summary>
    public const ulong FastBit = 0x04UL;
    /// <summary>BEP 5 DHT (the peer accepts a port message): reserved[7] &amp; 0x01.</summary>
    public const ulong DhtBit = 0x01UL;

    public const int Length = 8;

    public static PeerReserved None => default;

    public bool SupportsExtensionProtocol => (Bits & ExtensionProtocolBit) != 0;
    public bool SupportsFast => (Bits & FastBit) != 0;
    public bool SupportsDht => (Bits & DhtBit) != 0;
    public bool SupportsV2 => (Bits & V2Bit) != 0;

    public PeerReserved With(ulong bit, bool on = true) => new(on ? Bits | bit : Bits & ~bit);

    /// <summary>What this engine advertises: extension protocol and fast always, DHT and v2 when asked.</summary>
    public static PeerReserved Ours(bool dht, bool v2) =>
        new(ExtensionProtocolBit | FastBit | (dht ? DhtBit : 0) | (v2 ? V2Bit : 0));

    public static PeerReserved Read(ReadOnlySpan<byte> eightBytes) => new(BinaryPrimitives.ReadUInt64BigEndian(eightBytes));

    public void Write(Span<byte> eightBytes) => BinaryPrimitives.WriteUInt64BigEndian(eightBytes, Bits);

    public override string ToString() => Bits.ToString("x16");
}
