// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.PeerWire;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>A copy of a <see cref="PeerMessage"/> that can outlive the receive buffer.</summary>
internal sealed record ReceivedMessage(MessageKind Kind, byte RawId, int Index, int Begin, int Length, ushort Port,
    byte ExtendedId, byte[] Payload, byte[] PiecesRoot, int BaseLayer, int ProofLayers)
{
    public static ReceivedMessage From(in PeerMessage m) => new(m.Kind, m.RawId, m.Index, m.Begin, m.Length, m.Port,
        m.ExtendedId, m.Payload.ToArray(), m.PiecesRoot.ToArray(), m.BaseLayer, m.ProofLayers);
}

/// <summary>
/// A blocking loopback TCP connection that writes with <see cref="MessageWriter"/> and reads with
/// <see cref="Handshake"/> and <see cref="MessageReader"/>. Every read has a deadline.
/// </summary>
internal sealed class WireTestConnection : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    public WireTestConnection(int port)
    {
        _socket.NoDelay = true;
        _socket.ReceiveTimeout = 1000;
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
    }

    public void Send(ReadOnlySpan<byte> bytes) => _socket.Send(bytes);

    public void Send(int size, SpanWriter write)
    {
        var buf = new byte[size];
        int n = write(buf);
        _socket.Send(buf, 0, n, SocketFlags.None);
    }

    public delegate int SpanWriter(Span<byte> destination);

    /// <summary>Reads the 68-byte handshake; returns (reserved, info-hash, peer id).</summary>
    public (PeerReserved Reserved, byte[] InfoHash, byte[] PeerId) ReadHandshake()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (Handshake.TryRead(_buffer.AsSpan(_start, _end - _start), out var hs, out int needed))
            {
                var result = (hs.Reserved, hs.InfoHash.ToArray(), hs.PeerId.ToArray());
                _start += Handshake.Length;
                return result;
            }
            Fill(needed, clock);
        }
    }

    /// <summary>The next message (keep-alives included).</summary>
    public ReceivedMessage Read()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var r = MessageReader.TryRead(_buffer.AsSpan(_start, _end - _start), out var m);
            if (r.HasMessage)
            {
                var copy = ReceivedMessage.From(m);
                _start += r.Consumed;
                return copy;
            }
            Fill(r.Needed, clock);
        }
    }

    /// <summary>Reads until a message satisfies <paramref name="match"/>; the ones skipped are returned too.</summary>
    public (ReceivedMessage Match, List<ReceivedMessage> Before) ReadUntil(Func<ReceivedMessage, bool> match)
    {
        var before = new List<ReceivedMessage>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            var m = Read();
            if (match(m)) return (m, before);
            before.Add(m);
        }
        throw new TimeoutException("no matching message; got " + string.Join(", ", before.Select(b => b.Kind)));
    }

    /// <summary>True when the peer has not closed the connection (checked without consuming data).</summary>
    public bool IsOpen()
    {
        if (!_socket.Poll(200_000, SelectMode.SelectRead)) return true;
        return _socket.Available > 0;
    }

    private void Fill(int needed, Stopwatch clock)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_buffer.Length - _end < needed) Array.Resize(ref _buffer, _end + needed + 64 * 1024);
        while (true)
        {
            if (clock.Elapsed > Deadline) throw new TimeoutException("the peer sent nothing more");
            try
            {
                int n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
                if (n == 0) throw new IOException("the peer closed the connection");
                _end += n;
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
