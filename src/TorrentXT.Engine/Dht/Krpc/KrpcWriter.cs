// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.Dht.Krpc;

/// <summary>Builds KRPC packets (BEP 5) with the shared bencoder; keys are sorted by <see cref="BDict"/>.</summary>
public static class KrpcWriter
{
    /// <summary>BEP 5 / BEP 44 error codes.</summary>
    public const int GenericError = 201, ServerError = 202, ProtocolError = 203, MethodUnknown = 204,
        MessageTooBig = 205, InvalidSignature = 206, SaltTooBig = 207, CasMismatch = 301, SeqTooLow = 302;

    public static byte[] Query(ReadOnlySpan<byte> tid, string method, BDict args, bool readOnly)
    {
        var d = new BDict { ["a"] = args, ["q"] = method, ["t"] = tid.ToArray(), ["y"] = "q" };
        if (readOnly) d["ro"] = 1;
        return BencodeWriter.Encode(d);
    }

    /// <summary>A response carrying the requester's address as we see it (BEP 42 "ip").</summary>
    public static byte[] Response(ReadOnlySpan<byte> tid, BDict body, IPEndPoint requester)
    {
        var d = new BDict { ["ip"] = Compact.Endpoint(requester), ["r"] = body, ["t"] = tid.ToArray(), ["y"] = "r" };
        return BencodeWriter.Encode(d);
    }

    public static byte[] Error(ReadOnlySpan<byte> tid, int code, string message)
    {
        var e = new BList { code, message };
        var d = new BDict { ["e"] = e, ["t"] = tid.ToArray(), ["y"] = "e" };
        return BencodeWriter.Encode(d);
    }
}
