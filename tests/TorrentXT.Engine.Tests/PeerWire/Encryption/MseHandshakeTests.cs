// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Security.Cryptography;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.PeerWire.Encryption;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire.Encryption;

/// <summary>Our initiator against our receiver in memory, and the receiver against scripted peers.</summary>
public class MseHandshakeTests
{
    private static readonly byte[] InfoHash = Convert.FromHexString("c37acda1891f1ecbde0e62af89ea1dd5430d1532");
    private static readonly byte[] OtherHash = Convert.FromHexString("0123456789abcdef0123456789abcdef01234567");
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static byte[]? Ours(byte[] req2) =>
        new[] { OtherHash, InfoHash }.FirstOrDefault(h => MseHashes.Req2(h).AsSpan().SequenceEqual(req2));

    private static async Task<(MseResult Initiator, MseResult Receiver)> Run(MseOptions initiator, MseOptions receiver,
        byte[]? payload = null, int seed = 1, int maxSlice = int.MaxValue)
    {
        using var cts = new CancellationTokenSource(Bound);
        var (a, b) = MemoryDuplex.Pair(seed, maxSlice);
        var ia = MseHandshake.InitiateAsync(a, InfoHash, initiator, payload ?? default, cts.Token);
        var ib = MseHandshake.ReceiveAsync(b, default, Ours, receiver, cts.Token);
        // Whichever side fails closes its end, as a socket would, so the other one ends too.
        _ = ia.ContinueWith(_ => a.Close(), TaskContinuationOptions.OnlyOnFaulted);
        _ = ib.ContinueWith(_ => b.Close(), TaskContinuationOptions.OnlyOnFaulted);
        try { await Task.WhenAll(ia, ib); }
        catch { /* examined by the caller through the tasks */ }
        return (await ia, await ib);
    }

    [Theory]
    [InlineData(1, int.MaxValue)]
    [InlineData(2, 7)]
    [InlineData(3, 1)]
    public async Task Both_sides_agree_on_keys_and_rc4_streams_interlock(int seed, int maxSlice)
    {
        var rc4 = MseOptions.Default with { Allowed = CryptoMethods.Rc4 };
        var payload = "the BitTorrent handshake would go here"u8.ToArray();
        var (i, r) = await Run(rc4, rc4, payload, seed, maxSlice);
        Assert.Equal(CryptoMethods.Rc4, i.Method);
        Assert.Equal(CryptoMethods.Rc4, r.Method);
        Assert.Equal(InfoHash, r.InfoHash);
        Assert.Equal(payload, r.Buffered.ToArray()); // the initial payload arrives decrypted
        Assert.True(i.Buffered.IsEmpty);

        // What one side's encryptor produces, the other side's decryptor reverses, both ways.
        var msg = RandomNumberGenerator.GetBytes(5000);
        var wire = msg.ToArray();
        i.Encryptor!.Process(wire);
        Assert.NotEqual(msg, wire);
        r.Decryptor!.Process(wire);
        Assert.Equal(msg, wire);
        wire = msg.ToArray();
        r.Encryptor!.Process(wire);
        i.Decryptor!.Process(wire);
        Assert.Equal(msg, wire);
    }

    [Fact]
    public async Task Random_paddings_synchronise_every_time()
    {
        // Every run pads PadA and PadB with a fresh random 0..512 bytes, delivered in small slices.
        for (int seed = 0; seed < 25; seed++)
        {
            var (i, r) = await Run(MseOptions.Default, MseOptions.Default, seed: seed, maxSlice: 1 + seed * 13);
            Assert.Equal(CryptoMethods.Plaintext, i.Method);
            Assert.Equal(CryptoMethods.Plaintext, r.Method);
        }
    }

    [Theory]
    [InlineData(3, 3, false, CryptoMethods.Plaintext)]
    [InlineData(3, 3, true, CryptoMethods.Rc4)]
    [InlineData(1, 3, true, CryptoMethods.Plaintext)]
    [InlineData(2, 3, false, CryptoMethods.Rc4)]
    public async Task The_levels_decide_the_method(int initiatorLevel, int receiverLevel, bool receiverPrefersRc4, CryptoMethods expected)
    {
        var (i, r) = await Run(MseOptions.FromSettings(1, 1, initiatorLevel, false), MseOptions.FromSettings(1, 1, receiverLevel, receiverPrefersRc4));
        Assert.Equal(expected, i.Method);
        Assert.Equal(expected, r.Method);
        Assert.Equal(expected == CryptoMethods.Rc4, i.Encryptor is not null && r.Decryptor is not null);
    }

    [Fact]
    public async Task No_common_method_fails_both_sides()
    {
        using var cts = new CancellationTokenSource(Bound);
        var (a, b) = MemoryDuplex.Pair();
        var ia = MseHandshake.InitiateAsync(a, InfoHash, MseOptions.FromSettings(1, 1, 1, false), default, cts.Token);
        var ib = MseHandshake.ReceiveAsync(b, default, Ours, MseOptions.FromSettings(1, 1, 2, false), cts.Token);
        var e = await Assert.ThrowsAsync<PeerWireException>(() => ib);
        Assert.Contains("no common method", e.Message);
        b.Close();
        await Assert.ThrowsAsync<IOException>(() => ia);
    }

    [Fact]
    public async Task An_unknown_torrent_is_refused()
    {
        using var cts = new CancellationTokenSource(Bound);
        var (a, b) = MemoryDuplex.Pair();
        var ia = MseHandshake.InitiateAsync(a, InfoHash, MseOptions.Default, default, cts.Token);
        var e = await Assert.ThrowsAsync<PeerWireException>(() => MseHandshake.ReceiveAsync(b, default, _ => null, MseOptions.Default, cts.Token));
        Assert.Contains("unknown info-hash", e.Message);
        b.Close();
        await Assert.ThrowsAsync<IOException>(() => ia);
    }

    [Fact]
    public async Task Garbage_after_a_public_key_is_refused_within_the_sync_bound()
    {
        using var cts = new CancellationTokenSource(Bound);
        var (a, b) = MemoryDuplex.Pair();
        await a.SendAsync(new MseKeyExchange().PublicKey, cts.Token);
        await a.SendAsync(RandomNumberGenerator.GetBytes(5000), cts.Token);   // never req1
        var e = await Assert.ThrowsAsync<PeerWireException>(() => MseHandshake.ReceiveAsync(b, default, Ours, MseOptions.Default, cts.Token));
        Assert.Contains("sync hash not found", e.Message);
    }

    [Fact]
    public async Task A_public_key_of_zero_is_refused_before_we_answer()
    {
        using var cts = new CancellationTokenSource(Bound);
        var (a, b) = MemoryDuplex.Pair();
        await a.SendAsync(new byte[MseKeyExchange.KeyLength], cts.Token);
        await Assert.ThrowsAsync<PeerWireException>(() => MseHandshake.ReceiveAsync(b, default, Ours, MseOptions.Default, cts.Token));
        Assert.Empty(b.Sent);
    }

    /// <summary>A scripted initiator: Ya + <paramref name="padA"/> bytes, then a correct step 3 with the given fields.</summary>
    private static async Task<Exception?> ReceiverVersusScript(int padA, int padC = 0, byte vcByte = 0, int ia = 0)
    {
        using var cts = new CancellationTokenSource(Bound);
        var (a, b) = MemoryDuplex.Pair();
        var receiver = MseHandshake.ReceiveAsync(b, default, Ours, MseOptions.Default, cts.Token);
        var dh = new MseKeyExchange();
        await a.SendAsync(dh.PublicKey.Concat(RandomNumberGenerator.GetBytes(padA)).ToArray(), cts.Token);
        var yb = new byte[MseKeyExchange.KeyLength];
        for (int got = 0; got < yb.Length;)
        {
            int n = await a.ReceiveAsync(yb.AsMemory(got), cts.Token);
            if (n == 0) break;
            got += n;
        }
        var s = dh.SharedSecret(yb);
        var enc = new Rc4(MseHashes.KeyA(s, InfoHash));
        var tail = new byte[8 + 4 + 2 + padC + 2 + ia];
        tail[0] = vcByte;
        BinaryPrimitives.WriteUInt32BigEndian(tail.AsSpan(8), 3);
        BinaryPrimitives.WriteUInt16BigEndian(tail.AsSpan(12), (ushort)padC);
        BinaryPrimitives.WriteUInt16BigEndian(tail.AsSpan(14 + padC), (ushort)ia);
        enc.Process(tail);
        try { await a.SendAsync(MseHashes.Req1(s).Concat(MseHashes.ObfuscatedSkey(InfoHash, s)).Concat(tail).ToArray(), cts.Token); }
        catch (IOException) { }
        try { await receiver; return null; }
        catch (Exception e) { return e; }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(511)]
    [InlineData(512)]
    public async Task PadA_up_to_512_bytes_is_accepted(int padA) =>
        Assert.Null(await ReceiverVersusScript(padA));

    [Theory]
    [InlineData(513)]
    [InlineData(3000)]
    public async Task PadA_over_512_bytes_is_refused(int padA)
    {
        var e = await ReceiverVersusScript(padA);
        Assert.IsType<PeerWireException>(e);
    }

    [Fact]
    public async Task PadC_over_512_bytes_is_refused() =>
        Assert.Contains("padding of 513", (await ReceiverVersusScript(0, padC: 513))!.Message);

    [Fact]
    public async Task A_wrong_verification_constant_is_refused() =>
        Assert.Contains("verification constant", (await ReceiverVersusScript(10, vcByte: 1))!.Message);

    [Fact]
    public async Task An_initial_payload_over_68_bytes_is_refused() =>
        Assert.Contains("initial payload of 69", (await ReceiverVersusScript(10, ia: 69))!.Message);

    [Fact]
    public async Task The_initiator_gives_up_when_no_verification_constant_follows_within_the_bound()
    {
        using var cts = new CancellationTokenSource(Bound);
        var (a, b) = MemoryDuplex.Pair();
        var initiator = MseHandshake.InitiateAsync(a, InfoHash, MseOptions.Default, default, cts.Token);
        await b.SendAsync(new MseKeyExchange().PublicKey, cts.Token);
        await b.SendAsync(RandomNumberGenerator.GetBytes(4000), cts.Token);
        var e = await Assert.ThrowsAsync<PeerWireException>(() => initiator);
        Assert.Contains("verification constant not found", e.Message);
    }

    [Fact]
    public async Task A_peer_that_stops_talking_is_bounded_by_the_token()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var (a, b) = MemoryDuplex.Pair();
        await a.SendAsync(new byte[40], default); // less than a public key, then silence
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MseHandshake.ReceiveAsync(b, default, Ours, MseOptions.Default, cts.Token));
    }
}
