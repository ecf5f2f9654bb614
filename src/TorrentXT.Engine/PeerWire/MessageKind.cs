// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.PeerWire;

/// <summary>
/// Peer-wire message types. Values 0..23 are the wire ids (BEP 3, 5, 6, 10, 52); <see cref="KeepAlive"/>
/// (length 0) and <see cref="Unknown"/> (an id this engine does not know, skipped by length as
/// libtorrent does) have no id byte of their own.
/// </summary>
public enum MessageKind
{
    KeepAlive = -1,
    Choke = 0,
    Unchoke = 1,
    Interested = 2,
    NotInterested = 3,
    Have = 4,
    Bitfield = 5,
    Request = 6,
    Piece = 7,
    Cancel = 8,
    /// <summary>BEP 5: the peer's DHT port.</summary>
    Port = 9,
    /// <summary>BEP 6 fast extension.</summary>
    Suggest = 13,
    HaveAll = 14,
    HaveNone = 15,
    RejectRequest = 16,
    AllowedFast = 17,
    /// <summary>BEP 10 extension protocol.</summary>
    Extended = 20,
    /// <summary>BEP 52 merkle hash transfer.</summary>
    HashRequest = 21,
    Hashes = 22,
    HashReject = 23,
    Unknown = 1000,
}

/// <summary>Fixed sizes of the peer-wire framing.</summary>
public static class WireSizes
{
    /// <summary>The u32 big-endian length prefix.</summary>
    public const int LengthPrefix = 4;
    /// <summary>Declared length of id-only messages (choke, have all...).</summary>
    public const int IdOnly = 1;
    /// <summary>Declared length of have, suggest and allowed fast: id + u32 index.</summary>
    public const int IndexMessage = 5;
    /// <summary>Declared length of request, cancel and reject: id + index + begin + length.</summary>
    public const int BlockRequest = 13;
    /// <summary>Declared length of a piece message without its block: id + index + begin.</summary>
    public const int PieceHeader = 9;
    /// <summary>Declared length of port: id + u16.</summary>
    public const int Port = 3;
    /// <summary>Declared length of an extended message without its payload: id + extended id.</summary>
    public const int ExtendedHeader = 2;
    /// <summary>Declared length of hash request and hash reject: id + pieces root + 4 u32.</summary>
    public const int HashRequest = 49;
    /// <summary>Bytes in a BEP 52 pieces root and in each hash of a hashes message.</summary>
    public const int Sha256 = 32;
    /// <summary>The standard block size (and the BEP 9 metadata piece size).</summary>
    public const int BlockSize = 16 * 1024;
}
