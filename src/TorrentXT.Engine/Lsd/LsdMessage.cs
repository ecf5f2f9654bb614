// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;

namespace TorrentXT.Engine.Lsd;

/// <summary>
/// BEP 14 messages: <c>BT-SEARCH * HTTP/1.1</c> with Host, Port, one or more Infohash headers and
/// a cookie that lets a sender recognise (and ignore) its own announces.
/// </summary>
public static class LsdMessage
{
    public const string GroupV4 = "239.192.152.143";
    public const string GroupV6 = "ff15::efc0:988f";
    public const int Port = 6771;
    private const int MaxHashes = 32;

    public static byte[] Build(string host, int port, IEnumerable<byte[]> infoHashes, string cookie)
    {
        var sb = new StringBuilder("BT-SEARCH * HTTP/1.1\r\n");
        sb.Append("Host: ").Append(host).Append("\r\n");
        sb.Append("Port: ").Append(port.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        foreach (var h in infoHashes) sb.Append("Infohash: ").Append(Convert.ToHexStringLower(h)).Append("\r\n");
        sb.Append("cookie: ").Append(cookie).Append("\r\n\r\n\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary>A parsed announce; null for anything that is not a well-formed BT-SEARCH.</summary>
    public sealed record Parsed(int Port, IReadOnlyList<byte[]> InfoHashes, string? Cookie);

    public static Parsed? Parse(ReadOnlySpan<byte> packet)
    {
        if (packet.Length > 1400) return null;
        string text;
        try { text = Encoding.ASCII.GetString(packet); }
        catch (ArgumentException) { return null; }
        var lines = text.Split("\r\n");
        if (lines.Length < 2 || lines[0] != "BT-SEARCH * HTTP/1.1") return null;
        int port = 0;
        string? cookie = null;
        var hashes = new List<byte[]>();
        foreach (var line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var name = line.AsSpan(0, colon).Trim();
            var value = line.AsSpan(colon + 1).Trim();
            if (name.Equals("Port", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535) return null;
            }
            else if (name.Equals("Infohash", StringComparison.OrdinalIgnoreCase))
            {
                if (value.Length != 40 || hashes.Count >= MaxHashes) continue;
                try { hashes.Add(Convert.FromHexString(value)); }
                catch (FormatException) { }
            }
            else if (name.Equals("cookie", StringComparison.OrdinalIgnoreCase)) cookie = value.ToString();
        }
        return port == 0 || hashes.Count == 0 ? null : new Parsed(port, hashes, cookie);
    }
}
