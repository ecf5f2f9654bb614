// SPDX-License-Identifier: MIT
using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.Picking;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// One peer socket: the handshake, then one receive loop that parses messages and hands them to the
/// torrent's <see cref="TorrentSwarm"/>, and one send loop (<see cref="SendQueue"/>). Both loops are
/// cancelled by <see cref="Close"/>, which the swarm or the session calls. The wire state fields
/// below are read and written only under the owning swarm's lock. It is the piece picker's view of
/// the peer (<see cref="IPeerView"/>).
/// </summary>
internal sealed partial class PeerConnection : IPeerView
{
    /// <summary>A request we sent the peer, and when (for <c>request_timeout</c>).</summary>
    public readonly record struct OutstandingRequest(BlockRequest Request, long SentTicks);

    public const byte OurUtMetadataId = 2, OurUtPexId = 1;
    private const int ReceiveBufferSize = 256 * 1024;
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly CancellationTokenSource _cts;
    private readonly SendQueue _send = new();
    private int _closed;

    public IPEndPoint Remote { get; }
    public bool Incoming { get; }
    public TorrentSwarm? Swarm { get; private set; }

    // ---- wire state (under the swarm lock) ----
    public bool PeerChoking = true, PeerInterested, AmChoking = true, AmInterested;
    public bool PeerHasAll, SupportsFast, SupportsExtensions;
    public byte[]? PeerBitfieldRaw;                 // kept until the piece count is known (magnets)
    public readonly List<int> EarlyHaves = new();   // haves before metadata
    public Bitfield? PeerHave;
    public readonly List<OutstandingRequest> Requests = new();  // sent, not yet answered, oldest first
    public readonly List<int> AllowedFastIn = new();      // pieces the peer lets us request while choked (BEP 6)
    public readonly List<int> Suggested = new();          // pieces the peer suggested (BEP 6), most recent last
    public bool Snubbed;                                  // sent nothing it owed us for piece_timeout
    public bool PeerUploadOnly;                           // its extension handshake says upload_only
    public bool CountedByPicker;                          // its have set was handed to the picker
    public RequestQueueSizer Sizer = new();
    public byte PeerUtPexId;
    public long ConnectedTicks;                           // when the swarm admitted the connection
    public long PexSentTicks;                             // when we last sent ut_pex (0 = never)
    public HashSet<System.Net.IPEndPoint>? PexLast;       // the endpoints our last ut_pex described
    public long LastUnchokeTicks = -1, LastOptimisticTicks = -1;
    public long UploadedAtUnchoke;                        // Up.Total when we last unchoked the peer
    public bool Optimistic;                               // holds an optimistic unchoke slot
    public byte PeerUtMetadataId;
    public long PeerMetadataSize;
    public string? PeerClient;
    public string ClientFromId = "";                // the client the peer id names (when there is no 'v')
    public IPEndPoint? ListenEndpoint;              // where an incoming peer says it listens
    public int ServingRequests;                         // requests queued or being read and sent
    public bool ProtocolV2;                             // the handshake used the v2 info-hash: BEP 52 hash messages allowed
    public long LastHashRequestIn;                      // when the peer last asked us for hashes (BEP 52)
    public readonly Queue<BlockRequest> ServeQueue = new(); // requests waiting for the serving loop
    public int ServeLoops;                               // serving loops running for this peer
    public readonly HashSet<(int Piece, int Begin)> Cancelled = new();  // requests the peer cancelled while we read them
    public readonly List<int> AllowedFastOut = new();   // pieces we let the peer request while we choke it (BEP 6)
    public readonly PeerTrust Trust = new();         // good and bad pieces this peer contributed to
    public long LastBlockTicks = Environment.TickCount64;  // last block received, or last time we had nothing in flight
    public readonly RateMeter Down = new(), Up = new();

    public PeerConnection(Socket socket, IPEndPoint remote, bool incoming, CancellationToken sessionToken)
    {
        _socket = socket;
        _socket.NoDelay = true;
        Remote = remote;
        Incoming = incoming;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(sessionToken);
    }

    // ---- IPeerView (read by the picker under the swarm lock) ----
    Bitfield? IPeerView.Pieces => PeerHasAll ? null : PeerHave;
    bool IPeerView.HasAll => PeerHasAll;
    bool IPeerView.IsChokingUs => PeerChoking;
    IReadOnlyList<int> IPeerView.AllowedFast => AllowedFastIn;
    long IPeerView.DownloadRate => Down.Rate;
    bool IPeerView.IsSnubbed => Snubbed;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;
    public bool IsSeed => PeerHasAll || (PeerHave is not null && PeerHave.AllSet && PeerHave.Length > 0);
    public int PendingSendBytes => _send.Pending;

    /// <inheritdoc cref="SendQueue.WhenPendingAtMostAsync"/>
    public Task WhenSendPendingAtMostAsync(int bytes) => _send.WhenPendingAtMostAsync(bytes);

    /// <summary>Closes the socket and cancels both loops; the swarm forgets the connection. Idempotent.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        try { _cts.Cancel(); } catch (ObjectDisposedException) { }
        try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _socket.Dispose();
        Swarm?.OnClosed(this);
    }

    /// <summary>
    /// The whole life of the connection. Outgoing: <paramref name="swarm"/> is known and we speak first.
    /// Incoming: the torrent is found from the peer's handshake through <paramref name="host"/>.
    /// </summary>
    public async Task RunAsync(SwarmHost host, TorrentSwarm? swarm)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        var ct = _cts.Token;
        try
        {
            var sendLoop = _send.RunAsync(_socket, ct);
            _ = sendLoop.ContinueWith(_ => Close(), TaskScheduler.Default);
            // A peer that does not complete its handshake in time is dropped (libtorrent's handshake_timeout).
            using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            handshakeTimeout.CancelAfter(HandshakeTimeout);
            var hct = handshakeTimeout.Token;
            if (!await NegotiateEncryptionAsync(host, swarm, hct).ConfigureAwait(false)) return; // MSE: PeerConnection.Encryption.cs
            if (swarm is not null) SendHandshake(host, swarm);
            await ReadExactlyAsync(buffer.AsMemory(0, Handshake.PrefixLength), hct).ConfigureAwait(false);
            if (!Handshake.TryReadPrefix(buffer.AsSpan(0, Handshake.PrefixLength), out var hs, out _)) return;
            var reserved = hs.Reserved;
            if (swarm is null)
            {
                swarm = host.FindSwarmFor(hs.InfoHash);
                if (swarm is null || !MatchesEncryptedHash(hs.InfoHash)) return;
                SendHandshake(host, swarm, hs.InfoHash.ToArray()); // the hash the peer chose (v1 or v2)
            }
            else if (!swarm.Torrent.InfoHashes.Matches20(hs.InfoHash)) return;
            await ReadExactlyAsync(buffer.AsMemory(0, Handshake.IdLength), hct).ConfigureAwait(false);
            if (buffer.AsSpan(0, Handshake.IdLength).SequenceEqual(host.PeerId)) return; // ourselves
            ClientFromId = ClientIdentity.Identify(buffer.AsSpan(0, Handshake.IdLength));
            SupportsFast = reserved.SupportsFast;
            SupportsExtensions = reserved.SupportsExtensionProtocol;
            if (!swarm.Attach(this)) return;
            Swarm = swarm;
            _send.Limit(host.Bandwidth, swarm.UpChain);
            if (IsClosed) { swarm.OnClosed(this); return; }
            swarm.OnConnected(this);
            await ReceiveLoopAsync(buffer, host, swarm, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException
                                      or PeerWireException or IOException or Bencoding.BencodeException or Metainfo.MetainfoException
                                      or InvalidOperationException or ArgumentException)
        {
        }
        finally
        {
            Close();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void SendHandshake(SwarmHost host, TorrentSwarm swarm, byte[]? echo = null)
    {
        if (_handshakeSent) return; // went inside the MSE handshake
        var hash = HandshakeHash(swarm, echo);
        _send.Append(Handshake.Length, (hash, host.PeerId), static (d, s) => WriteOurHandshake(d, s.hash, s.PeerId));
    }

    private byte[] HandshakeHash(TorrentSwarm swarm, byte[]? echo)
    {
        var hash = echo ?? OutgoingHash(swarm.Torrent);
        ProtocolV2 = swarm.Torrent.InfoHashes.TruncatedV2 is { } v2 && v2.AsSpan().SequenceEqual(hash);
        return hash;
    }

    private static int WriteOurHandshake(Span<byte> d, byte[] hash, byte[] peerId) =>
        Handshake.Write(d, PeerReserved.Ours(dht: false, v2: false), hash, peerId);

    /// <summary>
    /// The info-hash to dial with: v1 where there is one, but the (truncated) v2 hash for a hybrid
    /// torrent still missing piece layers, because peers (libtorrent) exchange BEP 52 hashes only on
    /// connections opened with the v2 hash.
    /// </summary>
    private static byte[] OutgoingHash(Torrent torrent)
    {
        var ih = torrent.InfoHashes;
        if (ih.V1 is null) return ih.TruncatedV2!;
        if (ih.V2 is not null && torrent.Info is not { HasPieceLayers: true }) return ih.TruncatedV2!;
        return ih.V1;
    }

    private async Task ReadExactlyAsync(Memory<byte> into, CancellationToken ct)
    {
        int got = 0;
        while (got < into.Length)
        {
            int n = await ReceiveStreamAsync(into[got..], ct).ConfigureAwait(false);
            if (n == 0) throw new IOException("connection closed");
            got += n;
        }
    }

    private async Task ReceiveLoopAsync(byte[] buffer, SwarmHost host, TorrentSwarm swarm, CancellationToken ct)
    {
        int start = 0, end = 0;
        while (true)
        {
            // Parse every whole message in the buffer.
            while (true)
            {
                var result = MessageReader.TryRead(buffer.AsSpan(start, end - start), out var message);
                if (!result.HasMessage)
                {
                    if (result.Needed > buffer.Length) throw new IOException("message too large");
                    break;
                }
                if (message.Kind == MessageKind.Piece)
                {
                    // The block is copied into a disk buffer; the receive buffer is not touched while we wait.
                    int payloadAt = start + WireSizes.LengthPrefix + WireSizes.PieceHeader;
                    await swarm.OnBlockAsync(this, message.Index, message.Begin, buffer.AsMemory(payloadAt, message.Length)).ConfigureAwait(false);
                }
                else
                {
                    swarm.OnMessage(this, message);
                }
                start += result.Consumed;
            }
            if (start == end) start = end = 0;
            else if (start > buffer.Length / 2 || end == buffer.Length)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = await ReceiveStreamAsync(buffer.AsMemory(end), ct).ConfigureAwait(false);
            if (n == 0) return;
            end += n;
            // Rate limit: the bytes just read are paid for before the next read, so the sender is
            // held back by TCP flow control; nothing is waited for when no bucket is limited.
            if (!swarm.DownChain.IsUnlimited) await host.Bandwidth.AcquireAllAsync(swarm.DownChain, n, ct).ConfigureAwait(false);
        }
    }

    // ---- sending (safe from any thread) ----

    public void SendIdOnly(MessageKind kind) =>
        _send.Append(MessageWriter.IdOnlySize, kind, static (d, k) => MessageWriter.WriteIdOnly(d, k));

    public void SendKeepAlive() =>
        _send.Append(MessageWriter.KeepAliveSize, 0, static (d, _) => MessageWriter.WriteKeepAlive(d));

    public void SendHave(int piece) =>
        _send.Append(MessageWriter.IndexMessageSize, piece, static (d, p) => MessageWriter.WriteHave(d, p));

    public void SendBitfield(byte[] bits) =>
        _send.Append(MessageWriter.SizeOfBitfield(bits.Length), bits, static (d, b) => MessageWriter.WriteBitfield(d, b));

    public void SendRequest(int piece, int begin, int length) =>
        _send.Append(MessageWriter.BlockRequestSize, (piece, begin, length),
            static (d, r) => MessageWriter.WriteRequest(d, r.piece, r.begin, r.length));

    public void SendCancel(BlockRequest r) =>
        _send.Append(MessageWriter.BlockRequestSize, r,
            static (d, q) => MessageWriter.WriteCancel(d, q.Piece, q.Offset, q.Length));

    public void SendAllowedFast(int piece) =>
        _send.Append(MessageWriter.IndexMessageSize, piece, static (d, p) => MessageWriter.WriteAllowedFast(d, p));

    public void SendReject(int piece, int begin, int length) =>
        _send.Append(MessageWriter.BlockRequestSize, (piece, begin, length),
            static (d, r) => MessageWriter.WriteRejectRequest(d, r.piece, r.begin, r.length));

    public void SendPiece(int piece, int begin, ReadOnlyMemory<byte> block)
    {
        _send.Append(MessageWriter.SizeOfPiece(block.Length), (piece, begin, block),
            static (d, r) => MessageWriter.WritePiece(d, r.piece, r.begin, r.block.Span));
        Up.Add(block.Length);
    }

    public void SendExtended(byte id, byte[] payload) =>
        _send.Append(MessageWriter.SizeOfExtended(payload.Length), (id, payload),
            static (d, r) => MessageWriter.WriteExtended(d, r.id, r.payload));

    // ---- BEP 52 hash messages (HashExchange) ----

    public void SendHashRequest(HashRequest r) =>
        _send.Append(HashRequest.FrameSize, r, static (d, q) => q.WriteRequest(d));

    public void SendHashReject(HashRequest r) =>
        _send.Append(HashRequest.FrameSize, r, static (d, q) => q.WriteReject(d));

    public void SendHashes(HashRequest r, byte[] hashes) =>
        _send.Append(MessageWriter.SizeOf(MessageKind.Hashes, hashes.Length), (r, hashes), static (d, s) => s.r.WriteHashes(d, s.hashes));

    public override string ToString() => $"{Remote} ({(Incoming ? "in" : "out")})";

    internal static int ReadInt(ReadOnlySpan<byte> s) => BinaryPrimitives.ReadInt32BigEndian(s);
}
