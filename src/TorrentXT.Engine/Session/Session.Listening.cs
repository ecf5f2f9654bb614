// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Net;
using TorrentXT.Engine.Settings;

namespace TorrentXT.Engine;

/// <summary>
/// Listen sockets per <c>listen_interfaces</c>, reopened on the engine loop whenever the setting
/// changes. Each socket reports listenSucceeded or listenFailed.
/// </summary>
public sealed partial class Session
{
    private readonly List<PeerListener> _listeners = new();
    private string? _listeningOn;

    /// <summary>The TCP port of the first open listen socket, or 0 when none is open.</summary>
    public int ListenPort
    {
        get { lock (_listeners) return _listeners.Count > 0 ? _listeners[0].LocalEndPoint.Port : 0; }
    }

    /// <summary>The endpoints we listen on now.</summary>
    public IReadOnlyList<IPEndPoint> ListenEndpoints
    {
        get { lock (_listeners) return _listeners.Select(l => l.LocalEndPoint).ToArray(); }
    }

    private void StartListening()
    {
        Settings.Changed += d =>
        {
            if (d.Id == SettingIds.ListenInterfaces) _loop.Post(ApplyListenInterfaces);
        };
        _loop.Post(ApplyListenInterfaces);
    }

    /// <summary>Runs on the engine loop: closes the old sockets and opens the configured ones.</summary>
    private void ApplyListenInterfaces()
    {
        string wanted = Settings.GetString(SettingIds.ListenInterfaces);
        if (wanted == _listeningOn || _shutdown.IsCancellationRequested) return;
        _listeningOn = wanted;
        StopListening();
        var errors = new List<string>();
        foreach (var entry in ListenInterfaces.Parse(wanted, errors))
        {
            var endpoint = new IPEndPoint(entry.Address, entry.Port);
            try
            {
                var listener = PeerListener.Start(endpoint, Math.Max(5, Settings.GetInt(SettingIds.ListenQueueSize)), OnIncomingConnection);
                lock (_listeners) _listeners.Add(listener);
                Alerts.Post(new ListenSucceededAlert(listener.LocalEndPoint, "TCP"));
            }
            catch (SocketException e)
            {
                Alerts.Post(new ListenFailedAlert(Endpoints.Format(endpoint), (int)e.SocketErrorCode, e.Message));
            }
        }
        foreach (var bad in errors)
            Alerts.Post(new ListenFailedAlert(bad, 22, "invalid listen interface: " + bad));
        // The DHT's UDP sockets follow the listen sockets; posted, so a listen change already
        // queued (a new session's first setting) is applied before any UDP port is taken.
        _loop.Post(ApplyDht);
    }

    private void StopListening()
    {
        PeerListener[] old;
        lock (_listeners)
        {
            old = _listeners.ToArray();
            _listeners.Clear();
        }
        foreach (var l in old) l.Dispose();
    }

    /// <summary>An incoming TCP connection: the swarm reads the handshake and finds the torrent.</summary>
    private void OnIncomingConnection(Socket socket) => Swarm.Accept(socket);
}
