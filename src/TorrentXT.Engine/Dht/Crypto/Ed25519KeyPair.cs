// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Dht;

/// <summary>
/// A BEP 44 signing key as libtorrent keeps it (ABI contract §7).
/// </summary>
/// <param name="PublicKey">32 bytes: the RFC 8032 Ed25519 public key of <paramref name="Seed"/>.</param>
/// <param name="SecretKey">64 bytes: libtorrent's <em>expanded</em> form, SHA-512(seed) with the first half clamped
/// (scalar a = [0..31], nonce prefix = [32..63]); not libsodium's seed ‖ pk layout.</param>
/// <param name="Seed">32 bytes the pair was derived from.</param>
/// <remarks>Record equality on arrays is by reference; compare the bytes when that matters.</remarks>
public sealed record Ed25519KeyPair(byte[] PublicKey, byte[] SecretKey, byte[] Seed);
