// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.Trackers;

namespace TorrentXT.Engine.Tests.Trackers;

/// <summary>
/// A BEP 15 tracker on 127.0.0.1:0 (or ::1): answers connect, announce (with <see cref="Peers"/>)
/// and scrape; can drop the first N packets (to force retransmission) or send an error.
/// </summary>
internal sealed class FakeUdpTracker : IDisposable
{
    private readonly UdpClient _udp;
    private readonly CancellationTokenSource _cts = new();
    private const long ConnectionId = 0x1122334455667788;

    public int DropFirst { get; set; }
    public string? Error { get; set; }
    public List<IPEndPoint> Peers { get; } = new();
    public ConcurrentQueue<int> Actions { get; } = new();
    public ConcurrentQueue<int> Events { get; } = new();
    public int Received;
    public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;
    public string Url => _udp.Client.AddressFamily == AddressFamily.InterNetworkV6 ? $"udp://[::1]:{Port}/announce" : $"udp://127.0.0.1:{Port}/announce";

    public FakeUdpTracker(bool v6 = false)
    {
        _udp = new UdpClient(new IPEndPoint(v6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
        _ = Loop();
    }

    private async Task Loop()
    {
        while (!_cts.IsCancellationRequested)
        {
            UdpReceiveResult r;
            try { r = await _udp.ReceiveAsync(_cts.Token); }
            catch (Exception) { return; }
            if (Interlocked.Increment(ref Received) <= DropFirst) continue;
            var p = r.Buffer;
            int action = BinaryPrimitives.ReadInt32BigEndian(p.AsSpan(8));
            uint tid = BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(12));
            Actions.Enqueue(action);
            var reply = new List<byte>();
            void I32(int v) { var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, v); reply.AddRange(b); }
            if (Error is not null && action != 0)
            {
                I32(3); I32((int)tid); reply.AddRange(System.Text.Encoding.UTF8.GetBytes(Error));
            }
            else if (action == 0)
            {
                if (BinaryPrimitives.ReadInt64BigEndian(p) != UdpTrackerPackets.ProtocolId) continue;
                I32(0); I32((int)tid);
                var id = new byte[8]; BinaryPrimitives.WriteInt64BigEndian(id, ConnectionId); reply.AddRange(id);
            }
            else
            {
                if (BinaryPrimitives.ReadInt64BigEndian(p) != ConnectionId) { I32(3); I32((int)tid); reply.AddRange("bad connection id"u8.ToArray()); }
                else if (action == 1)
                {
                    Events.Enqueue(BinaryPrimitives.ReadInt32BigEndian(p.AsSpan(80)));
                    I32(1); I32((int)tid); I32(900); I32(3); I32(7);
                    foreach (var peer in Peers)
                    {
                        reply.AddRange(peer.Address.GetAddressBytes());
                        reply.Add((byte)(peer.Port >> 8)); reply.Add((byte)peer.Port);
                    }
                }
                else if (action == 2) { I32(2); I32((int)tid); I32(5); I32(11); I32(2); }
            }
            await _udp.SendAsync(reply.ToArray(), r.RemoteEndPoint, _cts.Token);
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _udp.Dispose();
    }
}
