// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.PeerWire.Encryption;

/// <summary>
/// A completed MSE handshake: the method agreed on, the two RC4 streams positioned just after the
/// handshake (null when the stream continues in plaintext), the torrent's 20-byte hash (SKEY),
/// and the bytes of the BitTorrent stream that were already read, decrypted (an initial payload
/// from the initiator, or bytes that arrived with the handshake's tail).
/// </summary>
public sealed class MseResult
{
    public required CryptoMethods Method { get; init; }
    /// <summary>Encrypts what we send; null when <see cref="Method"/> is plaintext.</summary>
    public Rc4? Encryptor { get; init; }
    /// <summary>Decrypts what we receive; null when <see cref="Method"/> is plaintext.</summary>
    public Rc4? Decryptor { get; init; }
    public required byte[] InfoHash { get; init; }
    public ReadOnlyMemory<byte> Buffered { get; init; }
}
