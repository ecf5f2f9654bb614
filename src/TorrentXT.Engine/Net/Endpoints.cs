// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;

namespace TorrentXT.Engine.Net;

/// <summary>Endpoint text as this library reports it: IPv6 addresses bracketed (contract §9.0 D10).</summary>
public static class Endpoints
{
    public static string Format(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{endpoint.Address}]:{endpoint.Port}"
            : $"{endpoint.Address}:{endpoint.Port}";
}
