// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TorrentXT.Engine.PeerWire.Encryption;

/// <summary>
/// The Message Stream Encryption handshake, both roles. The initiator (outgoing connection) knows
/// the torrent and proves it with req2 xor req3; the receiver (incoming) finds the torrent among its
/// own from that value. Both then hold two RC4 streams (keyA: initiator to receiver, keyB: back),
/// used for the rest of the stream when RC4 was selected. The exchange:
/// <code>
///  A→B  Ya, PadA
///  B→A  Yb, PadB
///  A→B  HASH('req1',S), HASH('req2',SKEY)^HASH('req3',S), E(VC, crypto_provide, len(PadC), PadC, len(IA)), E(IA)
///  B→A  E(VC, crypto_select, len(PadD), PadD), then the stream
/// </code>
/// Every wait is bounded: paddings by the specification's 512 bytes, the whole by the caller's token.
/// </summary>
public static class MseHandshake
{
    public const int MaxPadding = 512;
    /// <summary>The longest initial payload we take: a BitTorrent handshake (libtorrent's limit too).</summary>
    public const int MaxInitialPayload = Handshake.Length;
    private const int VcLength = 8;

    /// <summary>
    /// Runs the initiator's side. <paramref name="skey"/> is the 20-byte info-hash we dial with;
    /// <paramref name="initialPayload"/> (at most 68 bytes, may be empty) goes encrypted inside the
    /// handshake. Throws <see cref="PeerWireException"/> on a protocol failure and
    /// <see cref="IOException"/> when the peer closes.
    /// </summary>
    public static async Task<MseResult> InitiateAsync(IMseTransport transport, byte[] skey, MseOptions options,
        ReadOnlyMemory<byte> initialPayload, CancellationToken ct)
    {
        if (skey.Length != MseHashes.Length) throw new ArgumentException("SKEY is a 20-byte info-hash", nameof(skey));
        if (initialPayload.Length > MaxInitialPayload) throw new ArgumentException("the initial payload is at most 68 bytes", nameof(initialPayload));
        var dh = new MseKeyExchange();
        await transport.SendAsync(WithRandomPadding(dh.PublicKey), ct).ConfigureAwait(false);

        var rx = new MseReadBuffer(transport, default);
        await rx.EnsureAsync(MseKeyExchange.KeyLength, ct).ConfigureAwait(false);
        byte[] secret = dh.SharedSecret(rx.Take(MseKeyExchange.KeyLength));
        var encryptor = new Rc4(MseHashes.KeyA(secret, skey));
        var decryptor = new Rc4(MseHashes.KeyB(secret, skey));

        // req1, req2^req3, then E(VC, crypto_provide, len(PadC)=0, len(IA), IA).
        var provide = options.Provide;
        var step3 = new byte[2 * MseHashes.Length + VcLength + 4 + 2 + 2 + initialPayload.Length];
        MseHashes.Req1(secret).CopyTo(step3, 0);
        MseHashes.ObfuscatedSkey(skey, secret).CopyTo(step3, MseHashes.Length);
        var tail = step3.AsSpan(2 * MseHashes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(tail[VcLength..], (uint)provide);
        BinaryPrimitives.WriteUInt16BigEndian(tail[(VcLength + 6)..], (ushort)initialPayload.Length);
        initialPayload.Span.CopyTo(tail[(VcLength + 8)..]);
        encryptor.Process(tail);
        await transport.SendAsync(step3, ct).ConfigureAwait(false);

        // The receiver's VC is the next 8 bytes of its keystream; it follows PadB.
        var vc = new byte[VcLength];
        decryptor.Process(vc);
        await rx.SyncAsync(vc, MaxPadding, "verification constant", ct).ConfigureAwait(false);

        await rx.EnsureAsync(6, ct).ConfigureAwait(false);
        var field = rx.Take(6);
        decryptor.Process(field);
        uint selected = BinaryPrimitives.ReadUInt32BigEndian(field);
        int padD = BinaryPrimitives.ReadUInt16BigEndian(field[4..]);
        if (!options.AcceptsSelection(selected)) throw MseReadBuffer.Fail($"encryption handshake: peer selected unsupported method {selected}");
        if (padD > MaxPadding) throw MseReadBuffer.Fail($"encryption handshake: padding of {padD} bytes");
        await rx.EnsureAsync(padD, ct).ConfigureAwait(false);
        decryptor.Process(rx.Take(padD));
        return Finish((CryptoMethods)selected, encryptor, decryptor, skey, rx, default);
    }

    /// <summary>
    /// Runs the receiver's side. <paramref name="alreadyRead"/> holds the first bytes (read to tell
    /// MSE from a plain handshake); <paramref name="findSkey"/> maps HASH('req2', SKEY) to one of our
    /// info-hashes, or null for a torrent we do not have.
    /// </summary>
    public static async Task<MseResult> ReceiveAsync(IMseTransport transport, ReadOnlyMemory<byte> alreadyRead,
        Func<byte[], byte[]?> findSkey, MseOptions options, CancellationToken ct)
    {
        var rx = new MseReadBuffer(transport, alreadyRead.Span);
        await rx.EnsureAsync(MseKeyExchange.KeyLength, ct).ConfigureAwait(false);
        var dh = new MseKeyExchange();
        byte[] secret = dh.SharedSecret(rx.Take(MseKeyExchange.KeyLength));
        await transport.SendAsync(WithRandomPadding(dh.PublicKey), ct).ConfigureAwait(false);

        await rx.SyncAsync(MseHashes.Req1(secret), MaxPadding, "sync hash", ct).ConfigureAwait(false);
        await rx.EnsureAsync(MseHashes.Length + VcLength + 6, ct).ConfigureAwait(false);
        var req2 = rx.Take(MseHashes.Length).ToArray();
        var req3 = MseHashes.Req3(secret);
        for (int i = 0; i < req2.Length; i++) req2[i] ^= req3[i];
        byte[] skey = findSkey(req2) ?? throw MseReadBuffer.Fail("encryption handshake: unknown info-hash");
        var decryptor = new Rc4(MseHashes.KeyA(secret, skey));
        var encryptor = new Rc4(MseHashes.KeyB(secret, skey));

        var head = rx.Take(VcLength + 6);
        decryptor.Process(head);
        if (head[..VcLength].ContainsAnyExcept((byte)0)) throw MseReadBuffer.Fail("encryption handshake: bad verification constant");
        uint provided = BinaryPrimitives.ReadUInt32BigEndian(head[VcLength..]);
        int padC = BinaryPrimitives.ReadUInt16BigEndian(head[(VcLength + 4)..]);
        if (padC > MaxPadding) throw MseReadBuffer.Fail($"encryption handshake: padding of {padC} bytes");
        await rx.EnsureAsync(padC + 2, ct).ConfigureAwait(false);
        var padAndLength = rx.Take(padC + 2);
        decryptor.Process(padAndLength);
        int ia = BinaryPrimitives.ReadUInt16BigEndian(padAndLength[padC..]);
        if (ia > MaxInitialPayload) throw MseReadBuffer.Fail($"encryption handshake: initial payload of {ia} bytes");

        var selected = options.Select(provided);
        if (selected == CryptoMethods.None) throw MseReadBuffer.Fail($"encryption handshake: no common method (offered {provided})");
        // The initial payload is always RC4-encrypted, whatever the stream uses afterwards.
        await rx.EnsureAsync(ia, ct).ConfigureAwait(false);
        var payload = rx.Take(ia).ToArray();
        decryptor.Process(payload);

        // E(VC, crypto_select, len(PadD)=0)
        var step4 = new byte[VcLength + 6];
        BinaryPrimitives.WriteUInt32BigEndian(step4.AsSpan(VcLength), (uint)selected);
        encryptor.Process(step4);
        await transport.SendAsync(step4, ct).ConfigureAwait(false);
        return Finish(selected, encryptor, decryptor, skey, rx, payload);
    }

    /// <summary>Hands over what was read past the handshake, decrypted when the stream is RC4.</summary>
    private static MseResult Finish(CryptoMethods method, Rc4 encryptor, Rc4 decryptor, byte[] skey, MseReadBuffer rx, byte[]? payload)
    {
        bool rc4 = method == CryptoMethods.Rc4;
        var rest = rx.Unread;
        if (rc4) decryptor.Process(rest);
        int ia = payload?.Length ?? 0;
        var buffered = new byte[ia + rest.Length];
        payload?.CopyTo(buffered, 0);
        rest.CopyTo(buffered.AsSpan(ia));
        return new MseResult
        {
            Method = method,
            Encryptor = rc4 ? encryptor : null,
            Decryptor = rc4 ? decryptor : null,
            InfoHash = skey,
            Buffered = buffered,
        };
    }

    /// <summary>A public key followed by 0 to 512 random bytes (PadA / PadB hide the handshake's length).</summary>
    private static byte[] WithRandomPadding(byte[] publicKey)
    {
        int pad = RandomNumberGenerator.GetInt32(MaxPadding + 1);
        var msg = new byte[publicKey.Length + pad];
        publicKey.CopyTo(msg, 0);
        RandomNumberGenerator.Fill(msg.AsSpan(publicKey.Length));
        return msg;
    }
}
