// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;

namespace TorrentXT.Engine.Trackers;

/// <summary>The query strings of HTTP announces and scrapes, and the BEP 48 scrape URL rule.</summary>
public static class TrackerUrls
{
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>The announce URL: the tracker's URL with the BEP 3 parameters appended.</summary>
    public static string Announce(string trackerUrl, AnnounceRequest r)
    {
        var sb = new StringBuilder(trackerUrl, trackerUrl.Length + 256);
        sb.Append(trackerUrl.Contains('?') ? '&' : '?');
        sb.Append("info_hash="); AppendEscaped(sb, r.InfoHash);
        sb.Append("&peer_id="); AppendEscaped(sb, r.PeerId);
        sb.Append("&port=").Append(r.Port.ToString(CultureInfo.InvariantCulture));
        sb.Append("&uploaded=").Append(r.Uploaded.ToString(CultureInfo.InvariantCulture));
        sb.Append("&downloaded=").Append(r.Downloaded.ToString(CultureInfo.InvariantCulture));
        sb.Append("&left=").Append(r.Left.ToString(CultureInfo.InvariantCulture));
        sb.Append("&corrupt=0");
        sb.Append("&key=").Append(r.Key.ToString("X8", CultureInfo.InvariantCulture));
        if (r.Event != TrackerEvent.None) sb.Append("&event=").Append(EventName(r.Event));
        sb.Append("&numwant=").Append(r.NumWant.ToString(CultureInfo.InvariantCulture));
        sb.Append("&compact=1&no_peer_id=1&supportcrypto=1&redundant=0");
        if (!string.IsNullOrEmpty(r.TrackerId))
        {
            sb.Append("&trackerid="); AppendEscaped(sb, Encoding.UTF8.GetBytes(r.TrackerId));
        }
        return sb.ToString();
    }

    /// <summary>
    /// The scrape URL of an announce URL (BEP 48): the last path component must start with
    /// "announce", which becomes "scrape"; otherwise the tracker has no scrape (null).
    /// </summary>
    public static string? Scrape(string announceUrl, ReadOnlySpan<byte> infoHash)
    {
        int query = announceUrl.IndexOf('?');
        string path = query < 0 ? announceUrl : announceUrl[..query];
        int slash = path.LastIndexOf('/');
        if (slash < 0 || !path.AsSpan(slash + 1).StartsWith("announce", StringComparison.Ordinal)) return null;
        var sb = new StringBuilder(path[..(slash + 1)]).Append("scrape").Append(path.AsSpan(slash + 1 + "announce".Length));
        if (query >= 0) sb.Append(announceUrl.AsSpan(query)).Append('&'); else sb.Append('?');
        sb.Append("info_hash=");
        AppendEscaped(sb, infoHash);
        return sb.ToString();
    }

    public static string EventName(TrackerEvent e) => e switch
    {
        TrackerEvent.Started => "started",
        TrackerEvent.Stopped => "stopped",
        TrackerEvent.Completed => "completed",
        _ => "",
    };

    /// <summary>Percent-escapes raw bytes; only RFC 3986 unreserved characters stay literal.</summary>
    private static void AppendEscaped(StringBuilder sb, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                sb.Append((char)b);
            else
                sb.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 15]);
        }
    }
}
