// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.PeerWire.Encryption;

/// <summary>
/// The byte pipe an MSE handshake runs over (a socket in the engine, an in-memory pair in tests).
/// <see cref="ReceiveAsync"/> returns 0 at end of stream; <see cref="SendAsync"/> sends everything.
/// </summary>
public interface IMseTransport
{
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct);
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct);
}
