// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;

namespace TorrentXT.Engine.Tests.Support;

/// <summary>
/// A TCP server on 127.0.0.1:0 for scripted test servers (trackers, web seeds): it accepts until
/// disposed and hands each connection to <see cref="ServeAsync"/>, which owns and closes it.
/// </summary>
internal abstract class LoopbackTcpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _cts = new();

    protected LoopbackTcpServer() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Cancelled when the server is disposed.</summary>
    protected CancellationToken Stopping => _cts.Token;

    /// <summary>Call once the subclass is fully constructed.</summary>
    protected void StartAccepting() => _ = AcceptLoop();

    private async Task AcceptLoop()
    {
        while (!_cts.IsCancellationRequested)
        {
            TcpClient c;
            try { c = await _listener.AcceptTcpClientAsync(_cts.Token); }
            catch (Exception) { return; }
            _ = Serve(c);
        }
    }

    private async Task Serve(TcpClient c)
    {
        using (c)
        {
            try { await ServeAsync(c.GetStream()); }
            catch (Exception) { /* the client went away or the server stopped */ }
        }
    }

    /// <summary>Answers one connection's requests.</summary>
    protected abstract Task ServeAsync(NetworkStream stream);

    public void Dispose()
    {
        _cts.Cancel();
        _listener.Stop();
    }
}
