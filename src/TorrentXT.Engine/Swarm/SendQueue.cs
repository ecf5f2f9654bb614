// SPDX-License-Identifier: MIT
using System.Net.Sockets;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// The outgoing byte stream of one connection: writers append whole messages under a lock, one send
/// loop swaps the filled buffer with an empty one and writes it to the socket, so many small
/// messages go out in one send and no message is ever allocated on its own. Writers of bulk data
/// (block uploads) keep the queue short with <see cref="WhenPendingAtMostAsync"/>, so both buffers
/// stay around the watermark instead of growing with a peer that reads slowly.
/// </summary>
internal sealed class SendQueue
{
    private readonly object _sync = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private byte[] _filling = new byte[64 * 1024];
    private byte[] _sending = new byte[64 * 1024];
    private int _length;
    private int _inFlight;   // bytes of the buffer being sent that the socket has not taken yet
    private bool _stopped;
    private TaskCompletionSource? _drained;
    private int _drainedAt;
    private Net.RateLimiting.BandwidthManager? _limiter;
    private Net.RateLimiting.BandwidthChain? _chain;

    /// <summary>From now on every write draws its bytes from <paramref name="chain"/> (upload rate limits).</summary>
    public void Limit(Net.RateLimiting.BandwidthManager limiter, Net.RateLimiting.BandwidthChain chain)
    {
        _chain = chain;
        Volatile.Write(ref _limiter, limiter);
    }

    private PeerWire.Encryption.Rc4? _encryptor;

    /// <summary>
    /// From now on every byte sent is RC4-encrypted (MSE), in place in the buffer being sent. Set
    /// before the first message is appended; the send loop is the only user of the cipher.
    /// </summary>
    public void Encrypt(PeerWire.Encryption.Rc4 encryptor) => Volatile.Write(ref _encryptor, encryptor);

    /// <summary>Bytes appended and not yet taken by the socket (used to stop serving while the peer does not read).</summary>
    public int Pending { get { lock (_sync) return _length + _inFlight; } }

    /// <summary>
    /// Completes once at most <paramref name="bytes"/> are <see cref="Pending"/> (at once when that is
    /// so already), or when the send loop has stopped. One task is shared by every waiter.
    /// </summary>
    public Task WhenPendingAtMostAsync(int bytes)
    {
        lock (_sync)
        {
            if (_stopped || _length + _inFlight <= bytes) return Task.CompletedTask;
            _drainedAt = _drained is null ? bytes : Math.Min(_drainedAt, bytes);
            return (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    private void OnSentLocked(int unsent)
    {
        _inFlight = unsent;
        if (_drained is not null && _length + _inFlight <= _drainedAt)
        {
            _drained.SetResult();
            _drained = null;
        }
    }

    public delegate int Writer<T>(Span<byte> destination, T state);

    /// <summary>Appends one message of at most <paramref name="size"/> bytes written by <paramref name="write"/>.</summary>
    public void Append<T>(int size, T state, Writer<T> write)
    {
        lock (_sync)
        {
            if (_filling.Length - _length < size)
                Array.Resize(ref _filling, Math.Max(_filling.Length * 2, _length + size));
            _length += write(_filling.AsSpan(_length, size), state);
        }
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); }
            catch (SemaphoreFullException) { }
        }
    }

    /// <summary>Runs until cancelled or the socket fails; then releases every <see cref="WhenPendingAtMostAsync"/> waiter.</summary>
    public async Task RunAsync(Socket socket, CancellationToken ct)
    {
        try { await SendLoopAsync(socket, ct).ConfigureAwait(false); }
        finally
        {
            TaskCompletionSource? waiting;
            lock (_sync)
            {
                _stopped = true;
                waiting = _drained;
                _drained = null;
            }
            waiting?.SetResult();
        }
    }

    private async Task SendLoopAsync(Socket socket, CancellationToken ct)
    {
        while (true)
        {
            await _signal.WaitAsync(ct).ConfigureAwait(false);
            while (true)
            {
                int n;
                lock (_sync)
                {
                    n = _length;
                    if (n == 0) break;
                    (_filling, _sending) = (_sending, _filling);
                    _length = 0;
                    _inFlight = n;
                }
                Volatile.Read(ref _encryptor)?.Process(_sending.AsSpan(0, n));
                int sent = 0;
                while (sent < n)
                {
                    int allowed = n - sent;
                    var limiter = Volatile.Read(ref _limiter);
                    if (limiter is not null && !_chain!.IsUnlimited)
                        allowed = await limiter.AcquireAsync(_chain, allowed, ct).ConfigureAwait(false);
                    sent += await socket.SendAsync(_sending.AsMemory(sent, allowed), SocketFlags.None, ct).ConfigureAwait(false);
                    lock (_sync) OnSentLocked(n - sent);
                }
            }
        }
    }
}
