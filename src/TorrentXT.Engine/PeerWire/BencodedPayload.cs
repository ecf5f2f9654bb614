// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.PeerWire;

/// <summary>Shared decoding of the small bencoded dictionaries extension messages carry.</summary>
internal static class BencodedPayload
{
    /// <summary>Extension payloads are small flat dictionaries; these bounds stop hostile nesting early.</summary>
    internal static readonly BencodeLimits Limits = new(MaxDepth: 8, MaxTokens: 4096);

    /// <summary>Decodes the leading dictionary; <paramref name="consumed"/> is its encoded length.</summary>
    public static BValue Dictionary(ReadOnlyMemory<byte> payload, PeerWireError error, string what, out int consumed)
    {
        BValue value;
        try
        {
            value = BencodeReader.Decode(payload, Limits, out consumed);
        }
        catch (BencodeException e)
        {
            throw new PeerWireException(error, $"invalid {what}: {e.Message}", e);
        }
        if (!value.IsDictionary) throw new PeerWireException(error, $"invalid {what}: not a dictionary");
        return value;
    }

    /// <summary>An integer entry: null when absent, an error when present with another type or out of range.</summary>
    public static long? Integer(BValue dict, string key, long min, long max, PeerWireError error, string what)
    {
        var v = dict.Get(key);
        if (v is null) return null;
        if (!v.IsInteger) throw new PeerWireException(error, $"invalid {what}: '{key}' is not an integer");
        if (v.Integer < min || v.Integer > max) throw new PeerWireException(error, $"invalid {what}: '{key}' = {v.Integer} is out of range");
        return v.Integer;
    }

    /// <summary>A string entry: null when absent, an error when present with another type or a length outside the bounds.</summary>
    public static ReadOnlyMemory<byte>? Bytes(BValue dict, string key, int minLength, int maxLength, PeerWireError error, string what)
    {
        var v = dict.Get(key);
        if (v is null) return null;
        if (!v.IsString) throw new PeerWireException(error, $"invalid {what}: '{key}' is not a string");
        if (v.Bytes.Length < minLength || v.Bytes.Length > maxLength)
            throw new PeerWireException(error, $"invalid {what}: '{key}' has {v.Bytes.Length} bytes");
        return v.Bytes;
    }
}
