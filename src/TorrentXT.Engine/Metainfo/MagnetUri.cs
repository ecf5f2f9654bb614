// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Net;
using System.Text;

namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// A magnet link parsed exactly as libtorrent 2.0.8's parse_magnet_uri does: btih (40 hex or 32
/// base32) and btmh (multihash 1220 + 64 hex) info-hashes, the last of each kind winning; dn, tr
/// (each its own tier, in order), ws, x.pe, dht and so (BEP 53). Parameter names ignore case and
/// may carry a ".N" suffix. Immutable.
/// </summary>
public sealed class MagnetUri
{
    private const int MaxSelectIndex = 10000; // libtorrent refuses larger 'so' indices (memory)

    private MagnetUri(InfoHashes hashes, string? name, List<string> trackers, List<string> webSeeds,
        List<IPEndPoint> peers, List<string> dhtNodes, List<int> priorities, bool dontDownload)
    {
        InfoHashes = hashes;
        DisplayName = name;
        Trackers = trackers;
        WebSeeds = webSeeds;
        PeerEndpoints = peers;
        Peers = peers.Select(MagnetEndpoint.Format).ToArray();
        DhtNodes = dhtNodes;
        FilePriorities = priorities;
        DefaultDontDownload = dontDownload;
        var selected = new List<int>();
        for (int i = 0; i < priorities.Count; i++) if (priorities[i] > 0) selected.Add(i);
        SelectOnly = selected;
    }

    /// <summary>
    /// The info-hashes. A btih of 40 non-hex characters is accepted as an all-zero hash, which
    /// libtorrent treats as "no v1 hash"; such a magnet then has neither hash.
    /// </summary>
    public InfoHashes InfoHashes { get; }
    /// <summary>The 'dn' display name, or null.</summary>
    public string? DisplayName { get; }
    /// <summary>'tr' URLs in order; tracker i is in tier i. Repeats are kept, empty ones dropped.</summary>
    public IReadOnlyList<string> Trackers { get; }
    public IReadOnlyList<string> WebSeeds { get; }
    /// <summary>'x.pe' peers that parse as IPv4 or [IPv6] endpoints, printed as libtorrent prints them.</summary>
    public IReadOnlyList<string> Peers { get; }
    public IReadOnlyList<IPEndPoint> PeerEndpoints { get; }
    /// <summary>'dht' bootstrap nodes as "host:port".</summary>
    public IReadOnlyList<string> DhtNodes { get; }
    /// <summary>'so' file indices, expanded from ranges, ascending.</summary>
    public IReadOnlyList<int> SelectOnly { get; }
    /// <summary>From 'so': 4 for a selected file, 0 for the others, up to the highest index named.</summary>
    public IReadOnlyList<int> FilePriorities { get; }
    /// <summary>A valid 'so' parameter was present, so files not listed start at priority 0.</summary>
    public bool DefaultDontDownload { get; }

    /// <summary>Parses a magnet URI. Throws <see cref="MetainfoException"/> with libtorrent's message.</summary>
    public static MagnetUri Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.StartsWith("magnet:?", StringComparison.Ordinal)) throw new MetainfoException(MetainfoErrors.UnsupportedUrlProtocol);

        byte[]? v1 = null, v2 = null;
        string displayName = "";
        var trackers = new List<string>();
        var webSeeds = new List<string>();
        var peers = new List<IPEndPoint>();
        var dht = new List<string>();
        var priorities = new List<int>();
        bool dontDownload = false;

        var rest = uri.AsSpan(8);
        while (!rest.IsEmpty)
        {
            // As in libtorrent: the name runs to the first '=', the value from there to the next '&'.
            var name = Split(ref rest, '=');
            var value = Split(ref rest, '&');
            int dot = name.IndexOf('.');
            if (dot >= 0 && AllDigits(name[(dot + 1)..])) name = name[..dot];

            if (name.Equals("dn", StringComparison.OrdinalIgnoreCase))
            {
                // A bad escape keeps what was decoded before it (so "%ZZ" gives an empty name).
                displayName = Encoding.UTF8.GetString(UrlEscaping.Unescape(value, out _));
            }
            else if (name.Equals("tr", StringComparison.OrdinalIgnoreCase))
            {
                var tr = UrlEscaping.Unescape(value, out bool bad);
                if (!bad && tr.Length > 0) trackers.Add(Encoding.UTF8.GetString(tr));
            }
            else if (name.Equals("ws", StringComparison.OrdinalIgnoreCase))
            {
                var ws = UrlEscaping.Unescape(value, out bool bad);
                if (!bad) webSeeds.Add(Encoding.UTF8.GetString(ws));
            }
            else if (name.Equals("xt", StringComparison.OrdinalIgnoreCase))
            {
                ParseExactTopic(value, ref v1, ref v2);
            }
            else if (name.Equals("so", StringComparison.OrdinalIgnoreCase))
            {
                if (ParseSelectOnly(value, priorities)) dontDownload = true;
            }
            else if (name.Equals("x.pe", StringComparison.OrdinalIgnoreCase))
            {
                if (MagnetEndpoint.Parse(value.ToString()) is { } ep) peers.Add(ep);
            }
            else if (name.Equals("dht", StringComparison.OrdinalIgnoreCase))
            {
                int colon = value.LastIndexOf(':');
                if (colon >= 0)
                {
                    int port = Atoi(value[(colon + 1)..]);
                    if (port > 0 && port < ushort.MaxValue) dht.Add(value[..colon].ToString() + ":" + port.ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        if (v1 is null && v2 is null) throw new MetainfoException(MetainfoErrors.MissingInfoHashInUri);
        // An all-zero hash counts as absent (libtorrent's has_v1()/has_v2()).
        if (v1 is not null && !v1.AsSpan().ContainsAnyExcept((byte)0)) v1 = null;
        if (v2 is not null && !v2.AsSpan().ContainsAnyExcept((byte)0)) v2 = null;
        return new MagnetUri(new InfoHashes(v1, v2), displayName.Length > 0 ? displayName : null,
            trackers, webSeeds, peers, dht, priorities, dontDownload);
    }

    private static void ParseExactTopic(ReadOnlySpan<char> value, ref byte[]? v1, ref byte[]? v2)
    {
        string text = value.ToString();
        if (value.Contains('%'))
        {
            var raw = UrlEscaping.Unescape(value, out bool bad);
            if (bad) throw new MetainfoException(MetainfoErrors.InvalidEscapedString);
            text = Encoding.UTF8.GetString(raw);
        }
        if (text.StartsWith("urn:btih:", StringComparison.OrdinalIgnoreCase))
        {
            var h = text.AsSpan(9);
            var hash = new byte[20];
            if (h.Length == 40) MagnetHashDecoding.FromHexLenient(h, hash);
            else if (h.Length == 32)
            {
                var decoded = MagnetHashDecoding.Base32(h);
                if (decoded is null || decoded.Length != 20) throw new MetainfoException(MetainfoErrors.InvalidInfoHash);
                hash = decoded;
            }
            else throw new MetainfoException(MetainfoErrors.InvalidInfoHash);
            v1 = hash;
        }
        else if (text.StartsWith("urn:btmh:", StringComparison.OrdinalIgnoreCase))
        {
            var h = text.AsSpan(9);
            // Only a SHA2-256 multihash (code 0x12, 32 bytes) is a v2 info-hash.
            if (!h.StartsWith("1220", StringComparison.OrdinalIgnoreCase) || h.Length != 68)
                throw new MetainfoException(MetainfoErrors.InvalidInfoHash);
            var hash = new byte[32];
            MagnetHashDecoding.FromHexLenient(h[4..], hash);
            v2 = hash;
        }
        // Other URNs (urn:sha1, urn:ed2k, ...) are not BitTorrent hashes and are ignored.
    }

    /// <summary>BEP 53 "0,2,4-6". Returns false when the value is ignored for holding other characters.</summary>
    private static bool ParseSelectOnly(ReadOnlySpan<char> value, List<int> priorities)
    {
        foreach (char c in value)
            if (c is not (>= '0' and <= '9' or '-' or ',')) return false;
        while (!value.IsEmpty)
        {
            var token = Split(ref value, ',');
            if (token.IsEmpty) continue;
            int first, last;
            int dash = token.IndexOf('-');
            if (dash >= 0)
            {
                if (dash == 0 || dash == token.Length - 1) continue;
                first = Atoi(token[..dash]);
                last = Atoi(token[(dash + 1)..]);
                if (first < 0 || first > MaxSelectIndex || last < 0 || last > MaxSelectIndex || first > last) continue;
            }
            else
            {
                first = last = Atoi(token);
                if (first < 0 || first > MaxSelectIndex) continue;
            }
            while (priorities.Count <= last) priorities.Add(0);
            for (int i = first; i <= last; i++) priorities[i] = 4;
        }
        return true;
    }

    /// <summary>
    /// libtorrent's make_magnet_uri: xt (btih, then btmh), dn, tr, ws, x.pe, dht, so, with values
    /// escaped in lower-case hex. Empty when there is no info-hash.
    /// </summary>
    public override string ToString() =>
        Format(InfoHashes, DisplayName, Trackers, WebSeeds, Peers, DhtNodes, FilePriorities);

    internal static string Format(InfoHashes hashes, string? name, IEnumerable<string> trackers, IEnumerable<string> webSeeds,
        IEnumerable<string> peers, IEnumerable<string> dhtNodes, IReadOnlyList<int> priorities)
    {
        if (!hashes.HasV1 && !hashes.HasV2) return "";
        var sb = new StringBuilder("magnet:?");
        if (hashes.V1Hex is { } v1) sb.Append("xt=urn:btih:").Append(v1);
        if (hashes.V2Hex is { } v2) sb.Append(hashes.HasV1 ? "&" : "").Append("xt=urn:btmh:1220").Append(v2);
        if (!string.IsNullOrEmpty(name)) sb.Append("&dn=").Append(UrlEscaping.EscapeString(name));
        foreach (var t in trackers) sb.Append("&tr=").Append(UrlEscaping.EscapeString(t));
        foreach (var w in webSeeds) sb.Append("&ws=").Append(UrlEscaping.EscapeString(w));
        foreach (var p in peers) sb.Append("&x.pe=").Append(p);
        foreach (var d in dhtNodes) sb.Append("&dht=").Append(d);
        AppendSelectOnly(sb, priorities);
        return sb.ToString();
    }

    // Selected indices as comma-separated runs: "0,2,4-6".
    private static void AppendSelectOnly(StringBuilder sb, IReadOnlyList<int> priorities)
    {
        bool any = false;
        for (int i = 0; i < priorities.Count; i++)
        {
            if (priorities[i] <= 0) continue;
            int j = i;
            while (j + 1 < priorities.Count && priorities[j + 1] > 0) j++;
            sb.Append(any ? ',' : '&');
            if (!any) sb.Append("so=");
            any = true;
            sb.Append(i.ToString(CultureInfo.InvariantCulture));
            if (j > i) sb.Append('-').Append(j.ToString(CultureInfo.InvariantCulture));
            i = j;
        }
    }

    private static ReadOnlySpan<char> Split(ref ReadOnlySpan<char> s, char sep)
    {
        int i = s.IndexOf(sep);
        ReadOnlySpan<char> head;
        if (i < 0) { head = s; s = default; }
        else { head = s[..i]; s = s[(i + 1)..]; }
        return head;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (char c in s) if (c is < '0' or > '9') return false;
        return true;
    }

    // glibc atoi: strtol's leading digits, saturated to the long range, then truncated to int.
    private static int Atoi(ReadOnlySpan<char> s)
    {
        long v = 0;
        foreach (char c in s)
        {
            if (c is < '0' or > '9') break;
            if (v > (long.MaxValue - (c - '0')) / 10) { v = long.MaxValue; break; }
            v = v * 10 + (c - '0');
        }
        return unchecked((int)v);
    }
}
