// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using TorrentXT.Engine.PeerWire.Encryption;

namespace TorrentXT.Engine.Swarm;

/// <summary>A peer socket as the MSE handshake's byte pipe (the send loop has not started yet).</summary>
internal sealed class SocketMseTransport(Socket socket) : IMseTransport
{
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct) =>
        socket.ReceiveAsync(buffer, SocketFlags.None, ct);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            int n = await socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false);
            data = data[n..];
        }
    }
}
