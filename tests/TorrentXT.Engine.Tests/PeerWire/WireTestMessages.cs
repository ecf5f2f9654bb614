// SPDX-License-Identifier: MIT
using TorrentXT.Engine.PeerWire;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>One framed example of every message kind, written with <see cref="MessageWriter"/>.</summary>
internal static class WireTestMessages
{
    public static readonly byte[] Root = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
    public static readonly byte[] Block = Enumerable.Range(0, 16384).Select(i => (byte)(i * 7)).ToArray();
    public static readonly byte[] Bits = [0xFF, 0x0F, 0x80];
    public static readonly byte[] ExtPayload = "d1:md11:ut_metadatai3eee"u8.ToArray();
    public static readonly byte[] TwoHashes = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();

    public static IEnumerable<(MessageKind Kind, byte[] Frame)> All()
    {
        yield return (MessageKind.KeepAlive, Make(MessageWriter.KeepAliveSize, MessageWriter.WriteKeepAlive));
        foreach (var k in new[] { MessageKind.Choke, MessageKind.Unchoke, MessageKind.Interested, MessageKind.NotInterested, MessageKind.HaveAll, MessageKind.HaveNone })
            yield return (k, Make(MessageWriter.IdOnlySize, d => MessageWriter.WriteIdOnly(d, k)));
        yield return (MessageKind.Have, Make(MessageWriter.IndexMessageSize, d => MessageWriter.WriteHave(d, 7)));
        yield return (MessageKind.Suggest, Make(MessageWriter.IndexMessageSize, d => MessageWriter.WriteSuggest(d, 8)));
        yield return (MessageKind.AllowedFast, Make(MessageWriter.IndexMessageSize, d => MessageWriter.WriteAllowedFast(d, 9)));
        yield return (MessageKind.Bitfield, Make(MessageWriter.SizeOfBitfield(Bits.Length), d => MessageWriter.WriteBitfield(d, Bits)));
        yield return (MessageKind.Request, Make(MessageWriter.BlockRequestSize, d => MessageWriter.WriteRequest(d, 1, 16384, 16384)));
        yield return (MessageKind.Cancel, Make(MessageWriter.BlockRequestSize, d => MessageWriter.WriteCancel(d, 2, 32768, 100)));
        yield return (MessageKind.RejectRequest, Make(MessageWriter.BlockRequestSize, d => MessageWriter.WriteRejectRequest(d, 3, 0, 16384)));
        yield return (MessageKind.Piece, Make(MessageWriter.SizeOfPiece(Block.Length), d => MessageWriter.WritePiece(d, 4, 49152, Block)));
        yield return (MessageKind.Port, Make(MessageWriter.PortSize, d => MessageWriter.WritePort(d, 6881)));
        yield return (MessageKind.Extended, Make(MessageWriter.SizeOfExtended(ExtPayload.Length), d => MessageWriter.WriteExtended(d, 0, ExtPayload)));
        yield return (MessageKind.HashRequest, Make(MessageWriter.HashRequestSize, d => MessageWriter.WriteHashRequest(d, Root, 1, 64, 2, 3)));
        yield return (MessageKind.Hashes, Make(MessageWriter.SizeOfHashes(2), d => MessageWriter.WriteHashes(d, Root, 1, 64, 2, 0, TwoHashes)));
        yield return (MessageKind.HashReject, Make(MessageWriter.HashRequestSize, d => MessageWriter.WriteHashReject(d, Root, 0, 0, 512, 5)));
    }

    public static byte[] Stream() => All().SelectMany(m => m.Frame).ToArray();

    private delegate int Writer(Span<byte> destination);

    private static byte[] Make(int size, Writer write)
    {
        // A larger buffer than needed: the writer must report its own size.
        var buf = new byte[size + 16];
        int n = write(buf);
        if (n != size) throw new InvalidOperationException($"wrote {n}, SizeOf said {size}");
        return buf[..n];
    }
}
