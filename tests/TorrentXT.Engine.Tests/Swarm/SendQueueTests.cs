// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.Swarm;
using Xunit;

namespace TorrentXT.Engine.Tests.Swarm;

/// <summary>
/// A connection's send queue: bulk writers (block uploads) wait for it to drain to a watermark
/// instead of growing it, and are released when the connection's send loop stops.
/// </summary>
public sealed class SendQueueTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly Socket _sender, _receiver;
    private readonly CancellationTokenSource _stop = new();

    public SendQueueTests()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        // Small kernel buffers, so a few hundred KiB unread keep the queue from draining.
        _sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendBufferSize = 16384 };
        _sender.Connect(listener.LocalEndPoint!);
        _receiver = listener.Accept();
        _receiver.ReceiveBufferSize = 16384;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sender.Dispose();
        _receiver.Dispose();
    }

    private static void AppendBlocks(SendQueue q, int count)
    {
        for (int i = 0; i < count; i++)
            q.Append(16384, (byte)i, static (d, b) => { d.Fill(b); return d.Length; });
    }

    [Fact]
    public async Task A_bulk_writer_waits_until_the_peer_reads_the_queue_down_to_the_watermark()
    {
        var q = new SendQueue();
        var loop = q.RunAsync(_sender, _stop.Token);
        AppendBlocks(q, 64); // 1 MiB, far more than the kernel buffers take
        var drained = q.WhenPendingAtMostAsync(256 * 1024);
        await Task.Delay(200);
        Assert.False(drained.IsCompleted, $"pending {q.Pending} bytes while nobody reads");
        Assert.InRange(q.Pending, 256 * 1024 + 1, 1 << 20);

        // The peer reads: the waiter is released once at most the watermark is left.
        var reading = Task.Run(() =>
        {
            var buf = new byte[65536];
            long total = 0;
            while (total < 64 * 16384) total += _receiver.Receive(buf);
            return total;
        });
        await drained.WaitAsync(Limit);
        Assert.Equal(64L * 16384, await reading.WaitAsync(Limit));
        Assert.Equal(0, q.Pending);
        Assert.True(q.WhenPendingAtMostAsync(0).IsCompleted);
        Assert.False(loop.IsCompleted);
    }

    [Fact]
    public async Task Waiters_are_released_when_the_connection_stops()
    {
        var q = new SendQueue();
        var loop = q.RunAsync(_sender, _stop.Token);
        AppendBlocks(q, 64);
        var drained = q.WhenPendingAtMostAsync(0);
        Assert.False(drained.IsCompleted);
        _stop.Cancel();
        await drained.WaitAsync(Limit);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(Limit));
        Assert.True(q.WhenPendingAtMostAsync(0).IsCompleted, "a stopped queue never makes a writer wait");
    }
}
