// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace TorrentXT.Engine.Net;

/// <summary>One entry of libtorrent's <c>listen_interfaces</c>: where to listen, and whether it is SSL.</summary>
public readonly record struct ListenInterface(IPAddress Address, int Port, bool Ssl, string Text);

/// <summary>
/// Parses libtorrent's <c>listen_interfaces</c> syntax: a comma-separated list of
/// <c>address:port</c>, <c>[ipv6]:port</c> or <c>device:port</c>, each optionally followed by
/// flags (<c>s</c> = SSL, <c>l</c> = local only). Port 0 asks for any free port. Entries that
/// cannot be understood are returned as errors, so the session can report them as listenFailed.
/// </summary>
public static class ListenInterfaces
{
    public static List<ListenInterface> Parse(string text, List<string>? errors = null)
    {
        var result = new List<ListenInterface>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryParseOne(raw, result)) continue;
            errors?.Add(raw);
        }
        return result;
    }

    private static bool TryParseOne(string entry, List<ListenInterface> into)
    {
        int colon = entry.LastIndexOf(':');
        if (colon <= 0) return false;
        string host = entry[..colon];
        string portAndFlags = entry[(colon + 1)..];
        int digits = 0;
        while (digits < portAndFlags.Length && char.IsAsciiDigit(portAndFlags[digits])) digits++;
        if (digits == 0 || !int.TryParse(portAndFlags.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            return false;
        string flags = portAndFlags[digits..];
        if (flags.Trim('s', 'l').Length != 0) return false;
        bool ssl = flags.Contains('s');
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (IPAddress.TryParse(host, out var address))
        {
            into.Add(new ListenInterface(address, port, ssl, entry));
            return true;
        }
        // A device name: every unicast address it has.
        var device = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == host);
        if (device is null) return false;
        foreach (var a in device.GetIPProperties().UnicastAddresses)
            if (a.Address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                into.Add(new ListenInterface(a.Address, port, ssl, entry));
        return true;
    }
}
