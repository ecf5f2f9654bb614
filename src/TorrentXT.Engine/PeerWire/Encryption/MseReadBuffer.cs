// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.PeerWire.Encryption;

/// <summary>
/// The handshake's receive buffer: bytes read but not yet consumed sit between <see cref="Start"/>
/// and <see cref="End"/>. Reads take whatever the transport has (never one byte at a time), so a
/// read can run past the handshake; those bytes are handed on as <see cref="MseResult.Buffered"/>.
/// The capacity bounds what a peer can make us hold while it pads.
/// </summary>
internal sealed class MseReadBuffer
{
    // Ya (96) + PadA (512) + req1 (20) + 34 + PadC (512) + len(IA) (2) + IA (68) is 1244: room for all
    // of it, plus whatever arrives with it.
    public const int Capacity = 4096;

    private readonly IMseTransport _transport;
    public byte[] Data { get; } = new byte[Capacity];
    public int Start, End;

    public MseReadBuffer(IMseTransport transport, ReadOnlySpan<byte> alreadyRead)
    {
        _transport = transport;
        alreadyRead.CopyTo(Data);
        End = alreadyRead.Length;
    }

    public int Available => End - Start;

    public Span<byte> Unread => Data.AsSpan(Start, End - Start);

    /// <summary>Reads until at least <paramref name="count"/> unconsumed bytes are buffered.</summary>
    public async ValueTask EnsureAsync(int count, CancellationToken ct)
    {
        while (Available < count) await ReadMoreAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Reads at least one more byte; throws at end of stream or when the buffer is full.</summary>
    public async ValueTask ReadMoreAsync(CancellationToken ct)
    {
        if (End == Capacity)
        {
            if (Start == 0) throw Fail("encryption handshake too long");
            Buffer.BlockCopy(Data, Start, Data, 0, End - Start);
            End -= Start;
            Start = 0;
        }
        int n = await _transport.ReceiveAsync(Data.AsMemory(End), ct).ConfigureAwait(false);
        if (n == 0) throw new IOException("connection closed during the encryption handshake");
        End += n;
    }

    /// <summary>Consumes <paramref name="count"/> bytes (which must be buffered) and returns them.</summary>
    public Span<byte> Take(int count)
    {
        var s = Data.AsSpan(Start, count);
        Start += count;
        return s;
    }

    public static PeerWireException Fail(string what) => new(PeerWireError.EncryptionHandshake, what);

    /// <summary>
    /// Synchronises on <paramref name="mark"/>: consumes everything up to and including it, where at
    /// most <paramref name="maxSkip"/> bytes (the peer's padding) may precede it. Fails as soon as
    /// the mark can no longer appear within that bound, so a peer cannot keep us scanning.
    /// </summary>
    public async ValueTask SyncAsync(byte[] mark, int maxSkip, string what, CancellationToken ct)
    {
        while (true)
        {
            int at = Unread.IndexOf(mark);
            if (at >= 0)
            {
                if (at > maxSkip) break;
                Start += at + mark.Length;
                return;
            }
            if (Available >= maxSkip + mark.Length) break;
            await ReadMoreAsync(ct).ConfigureAwait(false);
        }
        throw Fail($"encryption handshake: {what} not found");
    }
}
