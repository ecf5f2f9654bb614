// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.PeerWire;

/// <summary>What was wrong with bytes a peer sent. Every one of these means "close the connection".</summary>
public enum PeerWireError
{
    /// <summary>The handshake does not start with 19 "BitTorrent protocol".</summary>
    InvalidHandshake = 1,
    /// <summary>A message declared a length above the configured maximum for its type.</summary>
    MessageTooLarge,
    /// <summary>A message's declared length does not fit its type (e.g. a have that is not 5 bytes).</summary>
    InvalidMessageLength,
    /// <summary>A field is out of range (negative index, hash list not a multiple of 32 bytes...).</summary>
    InvalidMessageField,
    /// <summary>A BEP 10 extension handshake is not a dictionary or a known key has the wrong type or size.</summary>
    InvalidExtensionHandshake,
    /// <summary>A BEP 9 ut_metadata message is malformed.</summary>
    InvalidMetadataMessage,
    /// <summary>A metadata size is non-positive or above the allowed maximum.</summary>
    InvalidMetadataSize,
    /// <summary>A BEP 11 ut_pex message is malformed or carries too many peers.</summary>
    InvalidPexMessage,
    /// <summary>The MSE (protocol encryption) handshake failed: no sync, bad constant, no common method, unknown torrent.</summary>
    EncryptionHandshake,
}

/// <summary>
/// The only exception the peer-wire decoders throw for hostile or broken input (argument mistakes by
/// the caller, such as a destination span that is too small, remain <see cref="ArgumentException"/>s).
/// </summary>
public sealed class PeerWireException : Exception
{
    public PeerWireError Error { get; }

    public PeerWireException(PeerWireError error, string message) : base(message) => Error = error;

    public PeerWireException(PeerWireError error, string message, Exception inner) : base(message, inner) => Error = error;
}
