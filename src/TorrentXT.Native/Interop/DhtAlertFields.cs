// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Native.Records;
using TorrentXT.Native.Wire;

namespace TorrentXT.Native.Interop;

/// <summary>The fields of the DHT alerts (contract §5 codes 12, 22, 23, 24; value rules in §7).</summary>
internal static class DhtAlertFields
{
    /// <summary>What an undefined entry bencodes to: the value of an item that was not found (§7).</summary>
    private static ReadOnlySpan<byte> NotFound => "0:"u8;

    public static void Write(ref RecordWriter w, Alert alert)
    {
        switch (alert)
        {
            case DhtPutAlert { Target: { } target } a:
                w.Hex(F.DhtTarget, target);
                w.Int(F.DhtNumSuccess, a.NumSuccess);
                break;
            case DhtPutAlert a:
                w.Hex(F.DhtPublicKey, a.PublicKey);
                w.Hex(F.DhtSignature, a.Signature);
                w.Int(F.DhtSeq, a.Seq);
                w.Utf8(F.DhtSalt, a.Salt);
                w.Int(F.DhtNumSuccess, a.NumSuccess);
                break;
            case DhtImmutableItemAlert a:
                w.Hex(F.DhtTarget, a.Target);
                w.Raw(F.DhtValue, Value(a.Value));
                break;
            case DhtMutableItemAlert a:
                w.Raw(F.DhtValue, Value(a.Value));
                w.Hex(F.DhtPublicKey, a.PublicKey);
                w.Hex(F.DhtSignature, a.Signature);
                w.Int(F.DhtSeq, a.Seq);
                w.Utf8(F.DhtSalt, a.Salt);
                w.Int(F.DhtAuthoritative, a.Authoritative ? 1 : 0);
                break;
        }
    }

    /// <summary>A string item reports its bytes; any other bencoded value its encoding; nothing found, "0:".</summary>
    private static ReadOnlySpan<byte> Value(byte[]? bencoded)
    {
        if (bencoded is null) return NotFound;
        try
        {
            var v = BencodeReader.Decode(bencoded);
            return v.IsString ? v.Bytes.Span : bencoded;
        }
        catch (BencodeException) { return bencoded; }
    }
}
