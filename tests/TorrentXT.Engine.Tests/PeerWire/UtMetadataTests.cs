// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Engine.PeerWire;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>BEP 9 ut_metadata payloads: {msg_type, piece[, total_size]} then, for data, the raw block.</summary>
public class UtMetadataTests
{
    [Fact]
    public void Encodings_are_byte_exact()
    {
        Assert.Equal("d8:msg_typei0e5:piecei2ee"u8.ToArray(), UtMetadata.EncodeRequest(2));
        Assert.Equal("d8:msg_typei2e5:piecei0ee"u8.ToArray(), UtMetadata.EncodeReject(0));
        Assert.Equal("d8:msg_typei1e5:piecei1e10:total_sizei20000eeXYZ"u8.ToArray(), UtMetadata.EncodeData(1, 20000, "XYZ"u8));
    }

    [Fact]
    public void Round_trips()
    {
        var req = UtMetadata.Decode(UtMetadata.EncodeRequest(7));
        Assert.Equal((MetadataMessageType.Request, 7, -1L), (req.Type, req.Piece, req.TotalSize));
        Assert.True(req.Block.IsEmpty);
        var rej = UtMetadata.Decode(UtMetadata.EncodeReject(3));
        Assert.Equal((MetadataMessageType.Reject, 3), (rej.Type, rej.Piece));

        // The block is raw bytes that happen to look like bencode; they must not be parsed.
        var block = Encoding.ASCII.GetBytes("d1:ai1ee" + new string('e', 16376));
        Assert.Equal(16384, block.Length);
        var payload = UtMetadata.EncodeData(0, 16385, block);
        var data = UtMetadata.Decode(payload);
        Assert.Equal((MetadataMessageType.Data, 0, 16385L), (data.Type, data.Piece, data.TotalSize));
        Assert.True(data.Block.SequenceEqual(block));
    }

    [Fact]
    public void An_unknown_msg_type_is_reported_for_the_caller_to_ignore()
    {
        var m = UtMetadata.Decode("d8:msg_typei3e5:piecei0ee"u8.ToArray());
        Assert.False(m.IsKnownType);
        Assert.Equal(3, (int)m.Type);
        Assert.Equal(0, m.Piece);
        // Even without the fields a known type needs.
        var bare = UtMetadata.Decode("d8:msg_typei99e1:x1:ye"u8.ToArray());
        Assert.Equal((99, -1), ((int)bare.Type, bare.Piece));
    }

    [Fact]
    public void Piece_geometry()
    {
        Assert.Equal(1, UtMetadata.PieceCount(1));
        Assert.Equal(1, UtMetadata.PieceCount(16384));
        Assert.Equal(2, UtMetadata.PieceCount(16385));
        Assert.Equal(16384, UtMetadata.PieceSize(16385, 0));
        Assert.Equal(1, UtMetadata.PieceSize(16385, 1));
    }

    [Theory]
    [InlineData("le")]
    [InlineData("d5:piecei0ee")] // no msg_type
    [InlineData("d8:msg_typei0ee")] // no piece
    [InlineData("d8:msg_type1:05:piecei0ee")] // msg_type a string
    [InlineData("d8:msg_typei0e5:piecei-1ee")]
    [InlineData("d8:msg_typei0e5:piecei2147483648ee")]
    [InlineData("d8:msg_typei1e5:piecei0ee")] // data without total_size
    [InlineData("d8:msg_typei1e5:piecei0e10:total_sizei0ee")]
    [InlineData("d8:msg_typei1e5:piecei0e10:total_size1:5e")]
    [InlineData("d8:msg_typei0e5:piecei0e")] // truncated
    public void Malformed_messages_are_typed_errors(string text)
    {
        var e = Assert.Throws<PeerWireException>(() => UtMetadata.Decode(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(PeerWireError.InvalidMetadataMessage, e.Error);
    }

    [Fact]
    public void A_block_above_16_KiB_is_refused()
    {
        var payload = "d8:msg_typei1e5:piecei0e10:total_sizei99999ee"u8.ToArray().Concat(new byte[16385]).ToArray();
        Assert.Throws<PeerWireException>(() => UtMetadata.Decode(payload));
        Assert.Throws<ArgumentException>(() => UtMetadata.EncodeData(0, 99999, new byte[16385]));
    }
}
