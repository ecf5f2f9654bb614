// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.Dht.Krpc;

public enum KrpcKind { Query, Response, Error }

/// <summary>
/// One validated KRPC message (BEP 5). <see cref="TryParse"/> is the strict gate every packet
/// passes: a dictionary with a string transaction id, a known kind, and for queries and responses
/// a 20-byte "id". Anything else is dropped before any handler sees it.
/// </summary>
public sealed class KrpcMessage
{
    /// <summary>UDP payloads larger than this are dropped unread (a KRPC packet fits one datagram).</summary>
    public const int MaxPacket = 1800;
    private static readonly BencodeLimits Limits = new(MaxDepth: 16, MaxTokens: 2000);

    public required KrpcKind Kind { get; init; }
    public required byte[] TransactionId { get; init; }
    /// <summary>The query's method name ("q"), for queries.</summary>
    public string Method { get; init; } = "";
    /// <summary>"a" for queries, "r" for responses.</summary>
    public BValue? Body { get; init; }
    /// <summary>The sender's node id (queries, responses).</summary>
    public byte[] SenderId { get; init; } = [];
    public int ErrorCode { get; init; }
    public string ErrorMessage { get; init; } = "";
    /// <summary>BEP 43: the sender is read-only and must not enter routing tables.</summary>
    public bool ReadOnly { get; init; }
    /// <summary>BEP 42: our address as the sender sees it, when it says.</summary>
    public IPEndPoint? ObservedAddress { get; init; }

    /// <summary>Why a packet was rejected, for the error reply (null when none is owed).</summary>
    public static bool TryParse(ReadOnlyMemory<byte> packet, out KrpcMessage? message, out byte[]? tidForError, out string? error)
    {
        message = null;
        tidForError = null;
        error = null;
        if (packet.Length == 0 || packet.Length > MaxPacket || packet.Span[0] != (byte)'d') return false;
        BValue root;
        try { root = BencodeReader.Decode(packet, Limits); }
        catch (BencodeException) { return false; }
        if (!root.IsDictionary) return false;
        var t = root.GetString("t");
        if (t is null || t.Bytes.Length is 0 or > 16) return false;
        byte[] tid = t.Bytes.ToArray();
        var y = root.GetString("y");
        if (y is null || y.Bytes.Length != 1) { tidForError = tid; error = "missing 'y' entry"; return false; }
        bool ro = root.GetInteger("ro") == 1;
        IPEndPoint? observed = root.GetString("ip") is { } ip ? Compact.ReadEndpoint(ip.Bytes.Span) : null;
        switch ((char)y.Bytes.Span[0])
        {
            case 'q':
            {
                var q = root.GetString("q");
                var a = root.GetDictionary("a");
                if (q is null || q.Bytes.Length is 0 or > 32) { tidForError = tid; error = "missing 'q' key"; return false; }
                if (a is null) { tidForError = tid; error = "missing 'a' key"; return false; }
                var id = a.GetString("id");
                if (id is null || id.Bytes.Length != NodeId.Bytes) { tidForError = tid; error = "missing 'id' key"; return false; }
                message = new KrpcMessage
                {
                    Kind = KrpcKind.Query, TransactionId = tid, Method = q.Text, Body = a, SenderId = id.Bytes.ToArray(),
                    ReadOnly = ro, ObservedAddress = observed,
                };
                return true;
            }
            case 'r':
            {
                var r = root.GetDictionary("r");
                var id = r?.GetString("id");
                if (r is null || id is null || id.Bytes.Length != NodeId.Bytes) return false;
                message = new KrpcMessage
                {
                    Kind = KrpcKind.Response, TransactionId = tid, Body = r, SenderId = id.Bytes.ToArray(),
                    ReadOnly = ro, ObservedAddress = observed,
                };
                return true;
            }
            case 'e':
            {
                var e = root.GetList("e");
                int code = e is { Items.Count: >= 1 } && e.Items[0].IsInteger ? (int)Math.Clamp(e.Items[0].Integer, 0, 999) : 0;
                string text = e is { Items.Count: >= 2 } && e.Items[1].IsString ? e.Items[1].Text : "";
                if (text.Length > 200) text = text[..200];
                message = new KrpcMessage { Kind = KrpcKind.Error, TransactionId = tid, ErrorCode = code, ErrorMessage = text };
                return true;
            }
            default:
                tidForError = tid;
                error = "unknown message type";
                return false;
        }
    }
}
