// SPDX-License-Identifier: MIT
using System.Net;
using System.Security.Cryptography;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.PeerWire;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>
/// The codec against the real thing: a libtorrent 2.0.8 seed on 127.0.0.1 (lt_wire_probe.py) is
/// spoken to with bytes from our writers, and everything it answers is decoded by our readers.
/// libtorrent disconnects on a malformed message, so getting answers also proves it accepted ours.
/// </summary>
public class LibtorrentInteropTests(LibtorrentProbe libtorrent) : IClassFixture<LibtorrentProbe>
{
    private const byte OurUtMetadataId = 3;
    private const byte OurUtPexId = 1;
    private const string OurClientName = "TorrentXT/0.1.0";

    private static TorrentInfo Vector(string id) => TorrentInfo.Load(Vectors.Bytes("torrents", id + ".torrent"));

    /// <summary>Opens a connection and exchanges handshakes; returns the connection and libtorrent's handshake.</summary>
    private (WireTestConnection Conn, PeerReserved Reserved, byte[] InfoHash, byte[] PeerId) Connect(
        byte[] infoHash20, PeerReserved reserved, byte[] ourPeerId)
    {
        var conn = new WireTestConnection(libtorrent.Port);
        conn.Send(Handshake.Length, d => Handshake.Write(d, reserved, infoHash20, ourPeerId));
        var (r, ih, pid) = conn.ReadHandshake();
        return (conn, r, ih, pid);
    }

    private static void SendExtensionHandshake(WireTestConnection conn)
    {
        var ours = new ExtensionHandshake { ClientName = OurClientName, RequestQueue = 250, ListenPort = 6881 };
        ours.Messages[UtMetadata.ExtensionName] = OurUtMetadataId;
        ours.Messages[PexMessage.ExtensionName] = OurUtPexId;
        var payload = ours.Encode();
        conn.Send(MessageWriter.SizeOfExtended(payload.Length), d => MessageWriter.WriteExtended(d, 0, payload));
    }

    [LibtorrentFact]
    public void Fast_peer_handshakes_serves_blocks_and_metadata()
    {
        var ti = Vector("v1_single");
        var ourId = PeerId.Generate(new Random(11));
        var (conn, reserved, infoHash, theirId) = Connect(ti.InfoHashes.V1!, PeerReserved.Ours(dht: false, v2: false), ourId);
        using var owned = conn;
        Assert.Equal(ti.InfoHashes.V1, infoHash);
        Assert.True(reserved.SupportsExtensionProtocol);
        Assert.True(reserved.SupportsFast);
        Assert.Equal("libtorrent 2.0.8", ClientIdentity.Identify(theirId));

        SendExtensionHandshake(conn);
        conn.Send(MessageWriter.IdOnlySize, MessageWriter.WriteHaveNone);
        conn.Send(MessageWriter.KeepAliveSize, MessageWriter.WriteKeepAlive);

        // The extension handshake and, as a seed talking to a fast peer, have-all (not a bitfield).
        var (ext, early) = conn.ReadUntil(m => m.Kind == MessageKind.Extended && m.ExtendedId == 0);
        var theirs = ExtensionHandshake.Decode(ext.Payload);
        Assert.Equal("libtorrent/2.0.8.0", theirs.ClientName);
        Assert.Equal(ti.MetadataSize, theirs.MetadataSize);
        Assert.Equal(IPAddress.Loopback, theirs.YourIp);
        Assert.True(theirs.UploadOnly);
        Assert.NotNull(theirs.RequestQueue);
        byte theirUtMetadata = theirs.IdOf(UtMetadata.ExtensionName);
        Assert.NotEqual(0, theirUtMetadata);
        Assert.NotEqual(0, theirs.IdOf(PexMessage.ExtensionName));
        var rest = early.Concat(new[] { conn.ReadUntil(m => m.Kind is MessageKind.HaveAll or MessageKind.Bitfield).Match });
        Assert.Contains(rest, m => m.Kind == MessageKind.HaveAll);
        Assert.DoesNotContain(rest, m => m.Kind == MessageKind.Bitfield);

        // Blocks: the first piece and the short last one, checked against the torrent's SHA-1s.
        conn.Send(MessageWriter.IdOnlySize, MessageWriter.WriteInterested);
        conn.ReadUntil(m => m.Kind == MessageKind.Unchoke);
        int last = ti.Files.NumPieces - 1;
        int lastSize = (int)ti.Files.PieceSize(last);
        conn.Send(MessageWriter.BlockRequestSize, d => MessageWriter.WriteRequest(d, 0, 0, 16384));
        conn.Send(MessageWriter.BlockRequestSize, d => MessageWriter.WriteRequest(d, last, 0, lastSize));
        var blocks = new Dictionary<int, ReceivedMessage>();
        while (blocks.Count < 2)
        {
            var piece = conn.ReadUntil(m => m.Kind == MessageKind.Piece).Match;
            blocks[piece.Index] = piece;
        }
        Assert.Equal((0, 16384), (blocks[0].Begin, blocks[0].Length));
        Assert.Equal(lastSize, blocks[last].Payload.Length);
        Assert.Equal(ti.V1PieceHash(0).ToArray(), SHA1.HashData(blocks[0].Payload));
        Assert.Equal(ti.V1PieceHash(last).ToArray(), SHA1.HashData(blocks[last].Payload));

        // BEP 9: fetch the info dictionary and verify it against the info-hash.
        var request = UtMetadata.EncodeRequest(0);
        conn.Send(MessageWriter.SizeOfExtended(request.Length), d => MessageWriter.WriteExtended(d, theirUtMetadata, request));
        var data = conn.ReadUntil(m => m.Kind == MessageKind.Extended && m.ExtendedId == OurUtMetadataId).Match;
        var assembler = new MetadataAssembler(ti.InfoHashes, theirs.MetadataSize!.Value);
        var decoded = UtMetadata.Decode(data.Payload);
        Assert.Equal(MetadataMessageType.Data, decoded.Type);
        Assert.Equal(MetadataBlockResult.Complete, assembler.Add(decoded));
        Assert.Equal(ti.InfoBytes.ToArray(), assembler.InfoBytes.ToArray());

        // A request for a piece that does not exist is rejected (BEP 9 reject), not answered.
        var bad = UtMetadata.EncodeRequest(5);
        conn.Send(MessageWriter.SizeOfExtended(bad.Length), d => MessageWriter.WriteExtended(d, theirUtMetadata, bad));
        var reject = conn.ReadUntil(m => m.Kind == MessageKind.Extended && m.ExtendedId == OurUtMetadataId).Match;
        Assert.Equal(MetadataMessageType.Reject, UtMetadata.Decode(reject.Payload).Type);

        // libtorrent decoded our handshake and extension handshake: it names us by our 'v' and knows our id.
        Assert.True(conn.IsOpen());
        var us = libtorrent.Peers().Where(p => p.PeerIdHex == Convert.ToHexStringLower(ourId)).ToList();
        Assert.Single(us);
        Assert.Equal(("v1_single", OurClientName), (us[0].Torrent, us[0].Client));
    }

    [LibtorrentFact]
    public void Without_the_fast_extension_a_seed_sends_a_full_bitfield()
    {
        var ti = Vector("v1_single");
        var ourId = PeerId.Generate(new Random(12));
        var (conn, reserved, _, _) = Connect(ti.InfoHashes.V1!, PeerReserved.None.With(PeerReserved.ExtensionProtocolBit), ourId);
        using var owned = conn;
        Assert.True(reserved.SupportsExtensionProtocol);
        SendExtensionHandshake(conn);
        var bitfield = conn.ReadUntil(m => m.Kind == MessageKind.Bitfield).Match;
        int n = ti.Files.NumPieces;
        Assert.Equal((n + 7) / 8, bitfield.Payload.Length);
        for (int i = 0; i < bitfield.Payload.Length * 8; i++)
            Assert.Equal(i < n, (bitfield.Payload[i >> 3] & (0x80 >> (i & 7))) != 0);

        // libtorrent kept the connection and knows us by the peer id we sent.
        Assert.Contains(libtorrent.Peers(), p => p.PeerIdHex == Convert.ToHexStringLower(ourId));
    }

    [LibtorrentFact]
    public void V2_hash_request_is_answered_with_the_files_piece_layer()
    {
        var ti = Vector("hybrid_multi");
        int file = Enumerable.Range(0, ti.Files.Count).First(i => ti.Files.Files[i].Path.EndsWith("big.bin", StringComparison.Ordinal));
        var root = ti.Files.Files[file].PiecesRoot!;
        var layer = ti.PieceLayer(file).ToArray();
        int hashes = layer.Length / 32;
        Assert.Equal(7, hashes);

        var truncated = ti.InfoHashes.TruncatedV2!;
        var (conn, _, infoHash, _) = Connect(truncated, PeerReserved.Ours(dht: false, v2: true), PeerId.Generate(new Random(13)));
        using var owned = conn;
        Assert.Equal(truncated, infoHash);
        SendExtensionHandshake(conn);

        // 16 KiB pieces: the piece layer is the leaf layer (base 0); 7 hashes are asked as 8 (a power of two).
        conn.Send(MessageWriter.HashRequestSize, d => MessageWriter.WriteHashRequest(d, root, 0, 0, 8, 0));
        var reply = conn.ReadUntil(m => m.Kind is MessageKind.Hashes or MessageKind.HashReject).Match;
        Assert.Equal(MessageKind.Hashes, reply.Kind);
        Assert.Equal(root, reply.PiecesRoot);
        Assert.Equal((0, 0, 8, 0), (reply.BaseLayer, reply.Index, reply.Length, reply.ProofLayers));
        Assert.Equal(8 * 32, reply.Payload.Length);
        Assert.Equal(layer, reply.Payload[..layer.Length]);

        // More proof layers than the tree has: libtorrent answers with a hash reject echoing the request.
        conn.Send(MessageWriter.HashRequestSize, d => MessageWriter.WriteHashRequest(d, root, 0, 0, 8, 3));
        var rejected = conn.ReadUntil(m => m.Kind is MessageKind.Hashes or MessageKind.HashReject).Match;
        Assert.Equal(MessageKind.HashReject, rejected.Kind);
        Assert.Equal(root, rejected.PiecesRoot);
        Assert.Equal((0, 0, 8, 3), (rejected.BaseLayer, rejected.Index, rejected.Length, rejected.ProofLayers));
    }
}
