// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.Dht;
using TorrentXT.Engine.Net;
using TorrentXT.Engine.Tests.Dht;
using Xunit;

namespace TorrentXT.Engine.Tests.Net;

/// <summary>
/// We do not speak uTP: a uTP SYN reaching our UDP port is answered with a RESET for its
/// connection, so a libtorrent peer falls back to TCP at once instead of after its uTP timeout.
/// </summary>
public sealed class UtpRefusalTests
{
    private static byte[] Syn(ushort connectionId, uint timestamp, ushort seq)
    {
        var p = new byte[20];
        p[0] = 0x41; // ST_SYN, version 1
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), connectionId);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(12), 1 << 20);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(16), seq);
        return p;
    }

    [Fact]
    public void Only_a_version_1_syn_of_at_least_a_header_is_a_syn()
    {
        Assert.True(UtpRefusal.IsSyn(Syn(1, 2, 3)));
        Assert.False(UtpRefusal.IsSyn(Syn(1, 2, 3).AsSpan(0, 19)));
        Assert.False(UtpRefusal.IsSyn("d1:ad2:id20:"u8));            // KRPC starts with 'd'
        var data = Syn(1, 2, 3); data[0] = 0x01;                      // ST_DATA
        Assert.False(UtpRefusal.IsSyn(data));
        var v2 = Syn(1, 2, 3); v2[0] = 0x42;
        Assert.False(UtpRefusal.IsSyn(v2));
    }

    [Fact]
    public void The_reset_names_the_syns_connection_and_acknowledges_its_sequence_number()
    {
        var reset = new byte[20];
        UtpRefusal.WriteReset(Syn(0xBEEF, 1_000, 0x1234), reset, nowMicros: 5_000);
        Assert.Equal(0x31, reset[0]); // ST_RESET, version 1
        Assert.Equal(0, reset[1]);
        Assert.Equal(0xBEEF, BinaryPrimitives.ReadUInt16BigEndian(reset.AsSpan(2)));
        Assert.Equal(5_000u, BinaryPrimitives.ReadUInt32BigEndian(reset.AsSpan(4)));
        Assert.Equal(4_000u, BinaryPrimitives.ReadUInt32BigEndian(reset.AsSpan(8)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(reset.AsSpan(12)));
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(reset.AsSpan(18)));
        Assert.Throws<ArgumentException>(() => UtpRefusal.WriteReset(new byte[20], reset, 0));
    }

    [Fact]
    public void A_dht_node_answers_a_utp_syn_on_its_port_with_a_reset()
    {
        using var dispatcher = new DhtDispatcher("utp-test");
        var node = DhtNode.Start(new IPEndPoint(IPAddress.Loopback, 0), dispatcher, DhtTestNet.LoopbackConfig());
        try
        {
            using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            peer.ReceiveTimeout = 10_000;
            peer.SendTo(Syn(0x0102, 77, 9), node.LocalEndPoint);
            var reply = new byte[64];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int n = peer.ReceiveFrom(reply, ref from);
            Assert.Equal(20, n);
            Assert.Equal(0x31, reply[0]);
            Assert.Equal(0x0102, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(2)));
            Assert.Equal(9, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(18)));
            Assert.True(Session.TestTorrents.WaitUntil(() => node.UtpSynsRefused == 1, 5_000));
        }
        finally
        {
            node.Dispose();
        }
    }
}
