// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// libtorrent's parse_endpoint for magnet 'x.pe' values: "a.b.c.d:port" or "[v6]:port". The port
/// must be digits only and is read like atoi into 16 bits. Anything else is not an endpoint.
/// </summary>
internal static class MagnetEndpoint
{
    public static IPEndPoint? Parse(string value)
    {
        var s = value.AsSpan().Trim(" \t\n\r\f\v");
        if (s.IsEmpty) return null;
        IPAddress? address;
        ReadOnlySpan<char> port;
        if (s[0] == '[')
        {
            int close = s.IndexOf(']');
            if (close < 0) return null;
            var inner = s[1..close];
            if (inner.Contains('%') || !IPAddress.TryParse(inner, out address) || address.AddressFamily != AddressFamily.InterNetworkV6)
                return null;
            if (close + 1 >= s.Length || s[close + 1] != ':') return null;
            port = s[(close + 2)..];
        }
        else
        {
            int colon = s.IndexOf(':');
            if (colon < 0 || (address = ParseV4(s[..colon])) is null) return null;
            port = s[(colon + 1)..];
        }
        foreach (char c in port)
            if (c is < '0' or > '9') return null;
        return new IPEndPoint(address, AtoiPort(port));
    }

    /// <summary>Strict dotted quad as inet_pton reads it: four decimal parts, no leading zeros.</summary>
    private static IPAddress? ParseV4(ReadOnlySpan<char> s)
    {
        Span<byte> b = stackalloc byte[4];
        int part = 0;
        foreach (var r in s.Split('.'))
        {
            var p = s[r];
            if (part == 4 || p.IsEmpty || p.Length > 3 || (p.Length > 1 && p[0] == '0')) return null;
            foreach (char c in p) if (c is < '0' or > '9') return null;
            int v = int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture);
            if (v > 255) return null;
            b[part++] = (byte)v;
        }
        return part == 4 ? new IPAddress(b) : null;
    }

    // atoi saturates at the long range and the result is then truncated to uint16, like the original.
    private static int AtoiPort(ReadOnlySpan<char> digits)
    {
        long v = 0;
        foreach (char c in digits)
        {
            if (v > (long.MaxValue - (c - '0')) / 10) { v = long.MaxValue; break; }
            v = v * 10 + (c - '0');
        }
        return unchecked((ushort)(int)v);
    }

    /// <summary>How libtorrent prints an endpoint: "1.2.3.4:80" or "[::1]:80".</summary>
    public static string Format(IPEndPoint ep) =>
        ep.AddressFamily == AddressFamily.InterNetworkV6
            ? "[" + ep.Address + "]:" + ep.Port.ToString(CultureInfo.InvariantCulture)
            : ep.Address + ":" + ep.Port.ToString(CultureInfo.InvariantCulture);
}
