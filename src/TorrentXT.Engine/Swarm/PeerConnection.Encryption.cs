// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.PeerWire.Encryption;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// Protocol encryption (MSE) for one connection: the handshake before the BitTorrent one, per
/// in_enc_policy / out_enc_policy, and afterwards the receive side's decryption. The send side
/// encrypts in <see cref="SendQueue"/>. Both work in place on the buffers that exist anyway.
/// </summary>
internal sealed partial class PeerConnection
{
    private const int DetectLength = 20;   // 19 "BitTorrent protocol": enough to tell plaintext from MSE

    private byte[]? _early;                // stream bytes read during the handshakes, served before the socket
    private int _earlyAt;
    private Rc4? _decryptor;
    private byte[]? _encryptedInfoHash;    // the torrent an incoming MSE handshake named
    private bool _handshakeSent;           // our BitTorrent handshake went as the MSE initial payload

    /// <summary>Outgoing only: open the connection with an MSE handshake (set by the host before <see cref="RunAsync"/>).</summary>
    public bool DialEncrypted { get; init; }

    /// <summary>An outgoing MSE handshake failed (refused, closed, timed out): libtorrent redials in plaintext then.</summary>
    public bool EncryptionFailed { get; private set; }

    /// <summary>What the connection negotiated: None for plain BitTorrent.</summary>
    public CryptoMethods Encryption { get; private set; }

    /// <summary>libtorrent's rc4_encrypted / plaintext_encrypted peer flags.</summary>
    public PeerInfoFlags EncryptionFlags => Encryption switch
    {
        CryptoMethods.Rc4 => PeerInfoFlags.Rc4Encrypted,
        CryptoMethods.Plaintext => PeerInfoFlags.PlaintextEncrypted,
        _ => PeerInfoFlags.None,
    };

    /// <summary>
    /// Runs the MSE handshake where the policies ask for one. False: the connection is refused
    /// (plaintext under a forced incoming policy, MSE under a disabled one).
    /// </summary>
    private async Task<bool> NegotiateEncryptionAsync(SwarmHost host, TorrentSwarm? swarm, CancellationToken ct)
    {
        var options = host.EncryptionOptions();
        var transport = new SocketMseTransport(_socket);
        if (swarm is not null)
        {
            if (!DialEncrypted) return true;
            // Our BitTorrent handshake rides in the MSE handshake as its initial payload (as
            // libtorrent's does), which saves a round trip before the peer can answer it.
            var hash = HandshakeHash(swarm, null);
            var payload = new byte[Handshake.Length];
            WriteOurHandshake(payload, hash, host.PeerId);
            try
            {
                Adopt(await MseHandshake.InitiateAsync(transport, hash, options, payload, ct).ConfigureAwait(false));
                _handshakeSent = true;
            }
            catch (Exception e) when (e is PeerWireException or IOException or SocketException or OperationCanceledException)
            {
                EncryptionFailed = true;
                throw;
            }
            return true;
        }

        var first = new byte[DetectLength];
        await ReadExactlyAsync(first, ct).ConfigureAwait(false);
        if (Handshake.IsPlausiblePrefix(first))
        {
            if (options.Incoming == EncryptionPolicy.Forced) return false;
            _early = first;
            return true;
        }
        if (options.Incoming == EncryptionPolicy.Disabled) return false;
        Adopt(await MseHandshake.ReceiveAsync(transport, first, host.FindEncryptedInfoHash, options, ct).ConfigureAwait(false));
        return true;
    }

    private void Adopt(MseResult r)
    {
        Encryption = r.Method;
        _encryptedInfoHash = r.InfoHash;
        _decryptor = r.Decryptor;
        if (r.Encryptor is { } encryptor) _send.Encrypt(encryptor);
        if (!r.Buffered.IsEmpty)
        {
            _early = r.Buffered.ToArray();
            _earlyAt = 0;
        }
    }

    /// <summary>An incoming MSE peer's BitTorrent handshake must name the torrent its MSE handshake named.</summary>
    private bool MatchesEncryptedHash(ReadOnlySpan<byte> infoHash) =>
        _encryptedInfoHash is null || infoHash.SequenceEqual(_encryptedInfoHash);

    /// <summary>
    /// The one way the connection reads its stream: bytes left over from the handshakes first, then
    /// the socket, decrypted in place when the stream is RC4. Returns 0 at end of stream. A plain
    /// connection goes straight to the socket, so neither path allocates per read.
    /// </summary>
    private ValueTask<int> ReceiveStreamAsync(Memory<byte> into, CancellationToken ct)
    {
        if (_early is not null) return new ValueTask<int>(TakeEarly(into.Span));
        if (_decryptor is null) return _socket.ReceiveAsync(into, SocketFlags.None, ct);
        return ReceiveDecryptedAsync(into, ct);
    }

    private int TakeEarly(Span<byte> into)
    {
        var early = _early!;
        int n = Math.Min(into.Length, early.Length - _earlyAt);
        early.AsSpan(_earlyAt, n).CopyTo(into);
        _earlyAt += n;
        if (_earlyAt == early.Length) _early = null;
        return n;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveDecryptedAsync(Memory<byte> into, CancellationToken ct)
    {
        int got = await _socket.ReceiveAsync(into, SocketFlags.None, ct).ConfigureAwait(false);
        _decryptor!.Process(into.Span[..got]);
        return got;
    }
}
