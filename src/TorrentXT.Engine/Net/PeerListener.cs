// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;

namespace TorrentXT.Engine.Net;

/// <summary>
/// One listening TCP socket and its accept loop. Accepted sockets go to the owner's handler;
/// the loop ends when the listener is disposed (the session joins it through <see cref="Completion"/>).
/// </summary>
public sealed class PeerListener : IDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();

    public IPEndPoint LocalEndPoint { get; }
    public Task Completion { get; }

    private PeerListener(Socket socket, Action<Socket> onAccepted)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        Completion = Task.Run(() => AcceptLoop(onAccepted));
    }

    /// <summary>Binds and listens; throws <see cref="SocketException"/> when the address cannot be used.</summary>
    public static PeerListener Start(IPEndPoint endpoint, int backlog, Action<Socket> onAccepted)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // [::] must not also claim IPv4, or "0.0.0.0:p,[::]:p" (libtorrent's default) collides.
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.NoDelay = true;
            socket.Bind(endpoint);
            socket.Listen(backlog);
            return new PeerListener(socket, onAccepted);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AcceptLoop(Action<Socket> onAccepted)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket accepted;
            try { accepted = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; } // a connection that died while queued
            onAccepted(accepted);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try { Completion.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
        _stop.Dispose();
    }
}
