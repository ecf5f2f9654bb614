// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using System.Text;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.PeerWire;

namespace TorrentXT.Engine.Trackers;

/// <summary>
/// Reads the bencoded body of an HTTP tracker's announce (BEP 3) or scrape (BEP 48) answer:
/// compact IPv4 peers (BEP 23), compact IPv6 <c>peers6</c> (BEP 7), dictionary peer lists,
/// intervals, tracker id, counts, and the failure reason or warning message.
/// </summary>
public static class HttpTrackerResponse
{
    private const int MaxPeers = 10_000;
    private static readonly BencodeLimits Limits = new(MaxDepth: 16, MaxTokens: 200_000);

    public static AnnounceResult ParseAnnounce(ReadOnlyMemory<byte> body)
    {
        var root = Decode(body);
        var peers = new List<IPEndPoint>();
        switch (root.Get("peers"))
        {
            case { IsString: true } compact:
                if (!CompactEndpoints.TryReadList(compact.Bytes.Span, AddressFamily.InterNetwork, MaxPeers, peers))
                    throw Invalid($"compact peer list of {compact.Bytes.Length} bytes is not a multiple of 6");
                break;
            case { IsList: true } list:
                foreach (var p in list.Items)
                    if (DictPeer(p) is { } ep && peers.Count < MaxPeers) peers.Add(ep);
                break;
        }
        if (root.Get("peers6") is { IsString: true } compact6
            && !CompactEndpoints.TryReadList(compact6.Bytes.Span, AddressFamily.InterNetworkV6, MaxPeers, peers))
            throw Invalid($"compact peers6 list of {compact6.Bytes.Length} bytes is not a multiple of 18");
        peers.RemoveAll(static p => p.Port == 0);
        return new AnnounceResult
        {
            Interval = ClampSeconds(root.GetInteger("interval") ?? 1800),
            MinInterval = ClampSeconds(root.GetInteger("min interval") ?? 0),
            TrackerId = root.GetString("tracker id")?.Text,
            Complete = Count(root.GetInteger("complete")),
            Incomplete = Count(root.GetInteger("incomplete")),
            Downloaded = Count(root.GetInteger("downloaded")),
            Warning = root.GetString("warning message")?.Text,
            Peers = peers,
        };
    }

    /// <summary>The counts for <paramref name="infoHash"/> in a scrape answer's <c>files</c> dictionary.</summary>
    public static ScrapeResult ParseScrape(ReadOnlyMemory<byte> body, ReadOnlySpan<byte> infoHash)
    {
        var root = Decode(body);
        var files = root.GetDictionary("files") ?? throw Invalid("scrape response has no files dictionary");
        // Some servers (the npm bittorrent-tracker) key the entry by the hash's bytes read as Latin-1
        // and written back as UTF-8; that key names only this hash, so it is accepted too.
        var entry = files.Get(infoHash) ?? files.Get(Latin1AsUtf8(infoHash));
        if (entry is not { IsDictionary: true })
            throw Invalid("scrape response does not list this torrent");
        return new ScrapeResult(Count(entry.GetInteger("complete")), Count(entry.GetInteger("incomplete")),
            Count(entry.GetInteger("downloaded")));
    }

    /// <summary>Decodes the root dictionary; a failure reason becomes a <see cref="TrackerFailure"/>.</summary>
    private static BValue Decode(ReadOnlyMemory<byte> body)
    {
        BValue root;
        try { root = BencodeReader.Decode(body, Limits); }
        catch (BencodeException e)
        {
            throw Invalid($"not bencoded ({e.Message}): {Preview(body.Span)}");
        }
        if (!root.IsDictionary) throw Invalid("the response is not a bencoded dictionary");
        if (root.GetString("failure reason") is { } reason)
        {
            int retry = ClampSeconds(root.GetInteger("retry in") ?? root.GetInteger("min interval") ?? 0);
            throw new TrackerFailure(TrackerFailure.FailureReason, "tracker sent a failure message: " + reason.Text, retry);
        }
        return root;
    }

    private static byte[] Latin1AsUtf8(ReadOnlySpan<byte> bytes)
    {
        var key = new List<byte>(bytes.Length * 2);
        foreach (byte b in bytes)
        {
            if (b < 0x80) key.Add(b);
            else { key.Add((byte)(0xC0 | b >> 6)); key.Add((byte)(0x80 | (b & 0x3F))); }
        }
        return key.ToArray();
    }

    private static IPEndPoint? DictPeer(BValue p)
    {
        if (p.GetString("ip") is not { } ip || p.GetInteger("port") is not { } port || port is <= 0 or > 65535) return null;
        return IPAddress.TryParse(ip.Text, out var address) ? new IPEndPoint(address, (int)port) : null;
    }

    private static int ClampSeconds(long v) => (int)Math.Clamp(v, 0, 7 * 24 * 3600);
    private static int Count(long? v) => v is { } n && n >= 0 ? (int)Math.Min(n, int.MaxValue) : -1;

    private static TrackerFailure Invalid(string why) => new(TrackerFailure.InvalidResponse, "invalid tracker response: " + why);

    /// <summary>The first bytes of a bad body, printable, so the error shows what the tracker sent.</summary>
    internal static string Preview(ReadOnlySpan<byte> body)
    {
        var sb = new StringBuilder("\"");
        foreach (byte b in body[..Math.Min(body.Length, 40)])
            sb.Append(b is >= 32 and < 127 ? (char)b : '.');
        return sb.Append(body.Length > 40 ? "...\"" : "\"").ToString();
    }
}
