// SPDX-License-Identifier: MIT
using System.Net;
using System.Text;
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.PeerWire;

/// <summary>
/// The BEP 10 extension handshake (extended message id 0). Every member is optional; null means the
/// key was absent. Decoding ignores unknown keys but rejects a known key with the wrong type or an
/// unreasonable size, because acting on a misread port, address or metadata size is worse than
/// dropping the peer.
/// </summary>
public sealed class ExtensionHandshake
{
    /// <summary>Bounds applied when decoding.</summary>
    public const int MaxMessages = 128;
    public const int MaxMessageNameLength = 64;
    public const int MaxClientNameLength = 256;

    private const string What = "extension handshake";
    private const PeerWireError Error = PeerWireError.InvalidExtensionHandshake;

    /// <summary>'m': extension name to the id the sender wants to receive it under; 0 means "disabled".</summary>
    public Dictionary<string, byte> Messages { get; } = new(StringComparer.Ordinal);
    /// <summary>'v': client name and version, e.g. "libtorrent/2.0.8.0".</summary>
    public string? ClientName { get; set; }
    /// <summary>'p': the sender's TCP listen port.</summary>
    public int? ListenPort { get; set; }
    /// <summary>'reqq': how many outstanding requests the sender accepts.</summary>
    public int? RequestQueue { get; set; }
    /// <summary>'metadata_size' (BEP 9): size of the info dictionary in bytes.</summary>
    public long? MetadataSize { get; set; }
    /// <summary>'yourip': the receiver's address as the sender sees it (IPv4 or IPv6).</summary>
    public IPAddress? YourIp { get; set; }
    /// <summary>'ipv4': the sender's own IPv4 address.</summary>
    public IPAddress? Ipv4 { get; set; }
    /// <summary>'ipv6': the sender's own IPv6 address.</summary>
    public IPAddress? Ipv6 { get; set; }
    /// <summary>'upload_only' (BEP 21): the sender is a seed or only uploads.</summary>
    public bool? UploadOnly { get; set; }
    /// <summary>'complete_ago': seconds since the sender last had every piece.</summary>
    public long? CompleteAgo { get; set; }

    /// <summary>The id the sender assigned to <paramref name="name"/>, or 0 when it does not support it.</summary>
    public byte IdOf(string name) => Messages.TryGetValue(name, out byte id) ? id : (byte)0;

    /// <summary>The bencoded payload (keys sorted), to be sent with extended id 0.</summary>
    public byte[] Encode()
    {
        var d = new BDict();
        if (Messages.Count > 0)
        {
            var m = new BDict();
            foreach (var (name, id) in Messages) m.Add(name, (long)id);
            d.Add("m", m);
        }
        if (ClientName is not null) d.Add("v", ClientName);
        if (ListenPort is { } p) d.Add("p", p);
        if (RequestQueue is { } q) d.Add("reqq", q);
        if (MetadataSize is { } ms) d.Add("metadata_size", ms);
        if (YourIp is not null) d.Add("yourip", Unmapped(YourIp).GetAddressBytes());
        if (Ipv4 is not null) d.Add("ipv4", Ipv4.GetAddressBytes());
        if (Ipv6 is not null) d.Add("ipv6", Ipv6.GetAddressBytes());
        if (UploadOnly is { } u) d.Add("upload_only", u ? 1 : 0);
        if (CompleteAgo is { } c) d.Add("complete_ago", c);
        return BencodeWriter.Encode(d);
    }

    public static ExtensionHandshake Decode(ReadOnlySpan<byte> payload) => Decode(payload.ToArray().AsMemory());

    public static ExtensionHandshake Decode(ReadOnlyMemory<byte> payload)
    {
        var dict = BencodedPayload.Dictionary(payload, Error, What, out _);
        var hs = new ExtensionHandshake();
        if (dict.Get("m") is { } m)
        {
            if (!m.IsDictionary) throw Fail("'m' is not a dictionary");
            if (m.Entries.Count > MaxMessages) throw Fail($"'m' has {m.Entries.Count} entries");
            foreach (var (key, value) in m.Entries)
            {
                if (key.Length is 0 or > MaxMessageNameLength) throw Fail($"'m' has a name of {key.Length} bytes");
                if (!value.IsInteger || value.Integer is < 0 or > 255) throw Fail("'m' maps a name to something other than an id 0..255");
                hs.Messages[Encoding.UTF8.GetString(key.Span)] = (byte)value.Integer;
            }
        }
        if (BencodedPayload.Bytes(dict, "v", 0, MaxClientNameLength, Error, What) is { } v) hs.ClientName = Encoding.UTF8.GetString(v.Span);
        hs.ListenPort = (int?)BencodedPayload.Integer(dict, "p", 0, ushort.MaxValue, Error, What);
        hs.RequestQueue = (int?)BencodedPayload.Integer(dict, "reqq", 0, int.MaxValue, Error, What);
        hs.MetadataSize = BencodedPayload.Integer(dict, "metadata_size", 0, long.MaxValue, Error, What);
        if (BencodedPayload.Bytes(dict, "yourip", 4, 16, Error, What) is { } yourIp)
        {
            if (yourIp.Length is not (4 or 16)) throw Fail($"'yourip' has {yourIp.Length} bytes");
            hs.YourIp = new IPAddress(yourIp.Span);
        }
        if (BencodedPayload.Bytes(dict, "ipv4", 4, 4, Error, What) is { } ipv4) hs.Ipv4 = new IPAddress(ipv4.Span);
        if (BencodedPayload.Bytes(dict, "ipv6", 16, 16, Error, What) is { } ipv6) hs.Ipv6 = new IPAddress(ipv6.Span);
        if (BencodedPayload.Integer(dict, "upload_only", long.MinValue, long.MaxValue, Error, What) is { } uo) hs.UploadOnly = uo != 0;
        hs.CompleteAgo = BencodedPayload.Integer(dict, "complete_ago", long.MinValue, long.MaxValue, Error, What);
        return hs;
    }

    /// <summary>An IPv4 peer seen through a dual-stack socket is reported in the 4-byte form, as libtorrent does.</summary>
    private static IPAddress Unmapped(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private static PeerWireException Fail(string why) => new(Error, $"invalid {What}: {why}");
}
