// SPDX-License-Identifier: MIT
using System.Threading.Channels;
using TorrentXT.Engine.PeerWire.Encryption;

namespace TorrentXT.Engine.Tests.PeerWire.Encryption;

/// <summary>
/// Two connected in-memory ends for MSE handshakes. Each send is delivered in random slices of
/// 1..<c>maxSlice</c> bytes, so the handshake's synchronisation is exercised across reads the way
/// TCP segments would split it. <see cref="Close"/> on one end gives the other end of stream.
/// </summary>
internal sealed class MemoryDuplex : IMseTransport
{
    private readonly Channel<byte[]> _inbound = Channel.CreateUnbounded<byte[]>();
    private MemoryDuplex _peer = null!;
    private readonly Random _random;
    private readonly int _maxSlice;
    private byte[]? _partial;
    private int _partialAt;

    private MemoryDuplex(int seed, int maxSlice)
    {
        _random = new Random(seed);
        _maxSlice = maxSlice;
    }

    public static (MemoryDuplex A, MemoryDuplex B) Pair(int seed = 1, int maxSlice = int.MaxValue)
    {
        var a = new MemoryDuplex(seed, maxSlice);
        var b = new MemoryDuplex(seed + 1, maxSlice);
        a._peer = b;
        b._peer = a;
        return (a, b);
    }

    /// <summary>Everything this end sent, in order (for tests that look at the wire).</summary>
    public List<byte> Sent { get; } = new();

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct)
    {
        if (_partial is null)
        {
            if (!await _inbound.Reader.WaitToReadAsync(ct).ConfigureAwait(false)) return 0;
            _partial = await _inbound.Reader.ReadAsync(ct).ConfigureAwait(false);
            _partialAt = 0;
        }
        int n = Math.Min(buffer.Length, _partial.Length - _partialAt);
        _partial.AsSpan(_partialAt, n).CopyTo(buffer.Span);
        _partialAt += n;
        if (_partialAt == _partial.Length) _partial = null;
        return n;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        lock (Sent) Sent.AddRange(data.ToArray());
        var span = data.Span;
        while (!span.IsEmpty)
        {
            int n = Math.Min(span.Length, _random.Next(1, Math.Min(_maxSlice, 1 << 20) + 1));
            if (!_peer._inbound.Writer.TryWrite(span[..n].ToArray())) throw new IOException("closed");
            span = span[n..];
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>This end goes away: the peer reads end of stream, and our sends fail.</summary>
    public void Close()
    {
        _peer._inbound.Writer.TryComplete();
        _inbound.Writer.TryComplete();
    }
}
