// SPDX-License-Identifier: MIT
using TorrentXT.Engine.PeerWire;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>Framing and the fixed layouts of BEP 3, 5, 6, 10 and 52 messages.</summary>
public class MessageCodecTests
{
    [Theory]
    [InlineData("have 7", "0000000504" + "00000007")]
    [InlineData("keep-alive", "00000000")]
    [InlineData("choke", "0000000100")]
    [InlineData("unchoke", "0000000101")]
    [InlineData("interested", "0000000102")]
    [InlineData("not interested", "0000000103")]
    [InlineData("have all", "000000010e")]
    [InlineData("have none", "000000010f")]
    [InlineData("request 1 16384 16384", "0000000d06" + "00000001" + "00004000" + "00004000")]
    [InlineData("cancel 2 32768 100", "0000000d08" + "00000002" + "00008000" + "00000064")]
    [InlineData("reject 3 0 16384", "0000000d10" + "00000003" + "00000000" + "00004000")]
    [InlineData("suggest 8", "000000050d00000008")]
    [InlineData("allowed fast 9", "000000051100000009")]
    [InlineData("port 6881", "00000003091ae1")]
    [InlineData("bitfield ff0f80", "0000000405ff0f80")]
    public void Known_encodings_are_byte_exact(string what, string hex)
    {
        var frame = WireTestMessages.All().Select(m => m.Frame).FirstOrDefault(f => Convert.ToHexStringLower(f) == hex);
        Assert.True(frame is not null, $"the writer produced no frame {hex} for {what}");
    }

    [Fact]
    public void Piece_header_extended_header_and_hash_messages_are_byte_exact()
    {
        var buf = new byte[64];
        Assert.Equal(13, MessageWriter.WritePieceHeader(buf, 4, 49152, 16384));
        Assert.Equal("00004009" + "07" + "00000004" + "0000c000", Convert.ToHexStringLower(buf.AsSpan(0, 13)));
        Assert.Equal(6, MessageWriter.WriteExtendedHeader(buf, 3, 100));
        Assert.Equal("00000066" + "14" + "03", Convert.ToHexStringLower(buf.AsSpan(0, 6)));
        Assert.Equal(53, MessageWriter.WriteHashRequest(buf, WireTestMessages.Root, 1, 64, 2, 3));
        Assert.Equal("00000031" + "15" + Convert.ToHexStringLower(WireTestMessages.Root) + "00000001" + "00000040" + "00000002" + "00000003",
            Convert.ToHexStringLower(buf.AsSpan(0, 53)));
        Assert.Equal(53, MessageWriter.WriteHashesHeader(buf, WireTestMessages.Root, 1, 64, 2, 0, 64));
        Assert.Equal("00000071" + "16", Convert.ToHexStringLower(buf.AsSpan(0, 5)));
    }

    [Fact]
    public void Every_message_round_trips()
    {
        foreach (var (kind, frame) in WireTestMessages.All())
        {
            var r = MessageReader.TryRead(frame, out var m);
            Assert.True(r.HasMessage, kind.ToString());
            Assert.Equal(frame.Length, r.Consumed);
            Assert.Equal(kind, m.Kind);
            Assert.Equal(frame.Length, MessageWriter.SizeOf(kind, kind switch
            {
                MessageKind.Bitfield => m.Payload.Length,
                MessageKind.Piece => m.Payload.Length,
                MessageKind.Extended => m.Payload.Length,
                MessageKind.Hashes => m.Payload.Length,
                _ => 0,
            }));
            switch (kind)
            {
                case MessageKind.Have: Assert.Equal(7, m.Index); break;
                case MessageKind.Suggest: Assert.Equal(8, m.Index); break;
                case MessageKind.AllowedFast: Assert.Equal(9, m.Index); break;
                case MessageKind.Bitfield: Assert.Equal(WireTestMessages.Bits, m.Payload.ToArray()); break;
                case MessageKind.Request: Assert.Equal((1, 16384, 16384), (m.Index, m.Begin, m.Length)); break;
                case MessageKind.Cancel: Assert.Equal((2, 32768, 100), (m.Index, m.Begin, m.Length)); break;
                case MessageKind.RejectRequest: Assert.Equal((3, 0, 16384), (m.Index, m.Begin, m.Length)); break;
                case MessageKind.Piece:
                    Assert.Equal((4, 49152, 16384), (m.Index, m.Begin, m.Length));
                    Assert.True(m.Payload.SequenceEqual(WireTestMessages.Block));
                    break;
                case MessageKind.Port: Assert.Equal(6881, m.Port); break;
                case MessageKind.Extended:
                    Assert.Equal(0, m.ExtendedId);
                    Assert.Equal(WireTestMessages.ExtPayload, m.Payload.ToArray());
                    break;
                case MessageKind.HashRequest:
                    Assert.Equal(WireTestMessages.Root, m.PiecesRoot.ToArray());
                    Assert.Equal((1, 64, 2, 3), (m.BaseLayer, m.Index, m.Length, m.ProofLayers));
                    Assert.True(m.Payload.IsEmpty);
                    break;
                case MessageKind.Hashes:
                    Assert.Equal(WireTestMessages.Root, m.PiecesRoot.ToArray());
                    Assert.Equal((1, 64, 2, 0), (m.BaseLayer, m.Index, m.Length, m.ProofLayers));
                    Assert.Equal(WireTestMessages.TwoHashes, m.Payload.ToArray());
                    break;
                case MessageKind.HashReject:
                    Assert.Equal((0, 0, 512, 5), (m.BaseLayer, m.Index, m.Length, m.ProofLayers));
                    break;
            }
        }
    }

    [Fact]
    public void A_piece_block_is_a_slice_of_the_input_not_a_copy()
    {
        var frame = WireTestMessages.All().Single(m => m.Kind == MessageKind.Piece).Frame;
        MessageReader.TryRead(frame, out var m);
        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(m.Payload), ref frame[13]));
    }

    [Fact]
    public void Fed_one_byte_at_a_time_the_reader_yields_the_same_messages_and_asks_for_exact_counts()
    {
        var stream = WireTestMessages.Stream();
        var expected = WireTestMessages.All().ToList();
        var received = new List<MessageKind>();
        int start = 0; // first byte not yet consumed
        for (int end = 0; end <= stream.Length; end++)
        {
            while (true)
            {
                var r = MessageReader.TryRead(stream.AsSpan(start, end - start), out var m);
                if (!r.HasMessage)
                {
                    if (end - start == 0) Assert.Equal(4, r.Needed);
                    // "Needed" is never more than what the current message still lacks.
                    var frame = expected[received.Count].Frame;
                    Assert.InRange(r.Needed, 1, frame.Length - (end - start));
                    break;
                }
                Assert.Equal(expected[received.Count].Frame.Length, r.Consumed);
                received.Add(m.Kind);
                start += r.Consumed;
                if (received.Count == expected.Count) break;
            }
            if (received.Count == expected.Count) break;
        }
        Assert.Equal(expected.Select(e => e.Kind), received);
        Assert.Equal(stream.Length, start);
    }

    [Fact]
    public void Needed_is_exact_once_the_header_is_in()
    {
        var frame = WireTestMessages.All().Single(m => m.Kind == MessageKind.Piece).Frame;
        var r = MessageReader.TryRead(frame.AsSpan(0, 4), out _);
        Assert.Equal(frame.Length - 4, r.Needed);
        r = MessageReader.TryRead(frame.AsSpan(0, 100), out _);
        Assert.Equal(frame.Length - 100, r.Needed);
        r = MessageReader.TryRead(frame.AsSpan(0, 2), out _);
        Assert.Equal(2, r.Needed);
    }

    [Fact]
    public void Several_messages_in_one_buffer_are_read_one_at_a_time()
    {
        var stream = WireTestMessages.Stream();
        int offset = 0, count = 0;
        while (offset < stream.Length)
        {
            var r = MessageReader.TryRead(stream.AsSpan(offset), out _);
            Assert.True(r.HasMessage);
            offset += r.Consumed;
            count++;
        }
        Assert.Equal(WireTestMessages.All().Count(), count);
    }

    [Fact]
    public void Reading_and_writing_allocate_nothing()
    {
        var stream = WireTestMessages.Stream();
        var sendBuffer = new byte[64];
        long sum = 0;
        void Pass()
        {
            int offset = 0;
            while (offset < stream.Length)
            {
                var r = MessageReader.TryRead(stream.AsSpan(offset), out var m);
                sum += m.Index + m.Payload.Length;
                offset += r.Consumed;
            }
            sum += MessageWriter.WriteRequest(sendBuffer, 1, 2, 3) + MessageWriter.WritePieceHeader(sendBuffer, 1, 0, 16384);
        }
        Pass(); // warm-up (JIT, statics)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Pass();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, sum);
    }

    [Fact]
    public void Unknown_ids_are_skipped_by_length()
    {
        foreach (byte id in new byte[] { 10, 11, 12, 18, 19, 24, 100, 255 })
        {
            var frame = new byte[] { 0, 0, 0, 3, id, 0xAB, 0xCD, /* next: */ 0, 0, 0, 1, 2 };
            var r = MessageReader.TryRead(frame, out var m);
            Assert.Equal(MessageKind.Unknown, m.Kind);
            Assert.Equal(id, m.RawId);
            Assert.Equal(new byte[] { 0xAB, 0xCD }, m.Payload.ToArray());
            Assert.Equal(7, r.Consumed);
            r = MessageReader.TryRead(frame.AsSpan(r.Consumed), out m);
            Assert.Equal(MessageKind.Interested, m.Kind);
        }
    }

    [Theory]
    [InlineData("0000000204ff", PeerWireError.InvalidMessageLength)] // have of 2
    [InlineData("0000000604", PeerWireError.InvalidMessageLength)] // have of 6: refused before the body arrives
    [InlineData("0000000200", PeerWireError.InvalidMessageLength)] // choke with a body
    [InlineData("000000020e", PeerWireError.InvalidMessageLength)] // have all with a body
    [InlineData("0000000c06", PeerWireError.InvalidMessageLength)] // request of 12
    [InlineData("0000000e06", PeerWireError.InvalidMessageLength)] // request of 14
    [InlineData("0000000e08", PeerWireError.InvalidMessageLength)] // cancel of 14
    [InlineData("0000000c10", PeerWireError.InvalidMessageLength)] // reject of 12
    [InlineData("0000000807", PeerWireError.InvalidMessageLength)] // piece shorter than its header
    [InlineData("0000400a07", PeerWireError.MessageTooLarge)] // piece with a 16385-byte block
    [InlineData("0000000209", PeerWireError.InvalidMessageLength)] // port of 2
    [InlineData("0000000409", PeerWireError.InvalidMessageLength)] // port of 4
    [InlineData("0000000114", PeerWireError.InvalidMessageLength)] // extended without its id
    [InlineData("0000003015", PeerWireError.InvalidMessageLength)] // hash request of 48
    [InlineData("0000003215", PeerWireError.InvalidMessageLength)] // hash request of 50
    [InlineData("0000003017", PeerWireError.InvalidMessageLength)] // hash reject of 48
    [InlineData("0000003016", PeerWireError.InvalidMessageLength)] // hashes shorter than the header
    [InlineData("0000003216", PeerWireError.InvalidMessageLength)] // hashes: 1 byte of hash
    [InlineData("0000005016", PeerWireError.InvalidMessageLength)] // hashes: 31 bytes of hash
    [InlineData("0010000205", PeerWireError.MessageTooLarge)] // bitfield above 1 MiB
    [InlineData("0010000114", PeerWireError.MessageTooLarge)] // extended above 1 MiB
    [InlineData("0010000116", PeerWireError.MessageTooLarge)] // hashes above 1 MiB
    [InlineData("001000010a", PeerWireError.MessageTooLarge)] // unknown above 1 MiB
    [InlineData("ffffffff", PeerWireError.MessageTooLarge)] // refused from the prefix alone
    [InlineData("00100002", PeerWireError.MessageTooLarge)]
    [InlineData("0000000504ffffffff", PeerWireError.InvalidMessageField)] // have index above int.MaxValue
    [InlineData("0000000d0600000000800000000000000f", PeerWireError.InvalidMessageField)] // request begin 2^31
    public void Malformed_messages_are_typed_errors(string hex, PeerWireError error)
    {
        var e = Assert.Throws<PeerWireException>(() => MessageReader.TryRead(Convert.FromHexString(hex), out _));
        Assert.Equal(error, e.Error);
    }

    [Fact]
    public void Limits_are_configurable()
    {
        var tight = new WireLimits { MaxBlockSize = 1024, MaxBitfieldLength = 9, MaxExtendedLength = 100 };
        var piece = new byte[MessageWriter.SizeOfPiece(1025)];
        MessageWriter.WritePiece(piece, 0, 0, new byte[1025]);
        Assert.Equal(PeerWireError.MessageTooLarge, Assert.Throws<PeerWireException>(() => MessageReader.TryRead(piece, tight, out _)).Error);
        Assert.True(MessageReader.TryRead(piece, out _).HasMessage);
        var bitfield = new byte[MessageWriter.SizeOfBitfield(9)];
        MessageWriter.WriteBitfield(bitfield, new byte[9]);
        Assert.Equal(PeerWireError.MessageTooLarge, Assert.Throws<PeerWireException>(() => MessageReader.TryRead(bitfield, tight, out _)).Error);
        var ok = new byte[MessageWriter.SizeOfBitfield(8)];
        MessageWriter.WriteBitfield(ok, new byte[8]);
        Assert.True(MessageReader.TryRead(ok, tight, out _).HasMessage);
    }

    [Fact]
    public void Default_limits_accept_the_largest_legal_messages_exactly()
    {
        var piece = new byte[MessageWriter.SizeOfPiece(16384)];
        MessageWriter.WritePiece(piece, 0, 0, new byte[16384]);
        Assert.Equal(16384 + 13, piece.Length);
        Assert.True(MessageReader.TryRead(piece, out _).HasMessage);

        var ext = new byte[MessageWriter.SizeOfExtended(WireLimits.OneMiB - 2)];
        MessageWriter.WriteExtended(ext, 1, new byte[WireLimits.OneMiB - 2]);
        Assert.True(MessageReader.TryRead(ext, out var m).HasMessage);
        Assert.Equal(WireLimits.OneMiB - 2, m.Payload.Length);
    }

    [Fact]
    public void Writer_refuses_caller_mistakes()
    {
        Assert.Throws<ArgumentException>(() => MessageWriter.WriteHave(new byte[8], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageWriter.WriteHave(new byte[9], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageWriter.WriteIdOnly(new byte[9], MessageKind.Have));
        Assert.Throws<ArgumentException>(() => MessageWriter.WritePiece(new byte[20], 0, 0, new byte[8]));
        Assert.Throws<ArgumentException>(() => MessageWriter.WriteHashRequest(new byte[60], new byte[20], 0, 0, 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MessageWriter.WriteHashes(new byte[200], WireTestMessages.Root, 0, 0, 2, 0, new byte[33]));
    }
}
