// SPDX-License-Identifier: MIT
using TorrentXT.Engine.PeerWire;

namespace TorrentXT.Engine.Swarm;

/// <summary>The swarm's hooks into <see cref="HashExchange"/> (BEP 52 hash request, hashes, hash reject).</summary>
internal sealed partial class TorrentSwarm
{
    private HashExchange? _hashExchange;

    // Not LazyInitializer with a lambda: this is read per request, and the lambda would allocate each time.
    private HashExchange Hashes => Volatile.Read(ref _hashExchange) ?? CreateHashes();

    private HashExchange CreateHashes()
    {
        Interlocked.CompareExchange(ref _hashExchange, new HashExchange(Torrent), null);
        return _hashExchange!;
    }

    /// <summary>Handles messages 21..23; false for any other kind. Called outside the swarm lock.</summary>
    private bool OnHashMessage(PeerConnection p, in PeerMessage m)
    {
        switch (m.Kind)
        {
            case MessageKind.HashRequest:
                Hashes.OnHashRequest(p, m);
                return true;
            case MessageKind.HashReject:
                Hashes.OnHashReject(p, m);
                return true;
            case MessageKind.Hashes:
                if (Hashes.OnHashes(p, m))
                {
                    // The last piece layer arrived: a v2-only torrent can request blocks now.
                    lock (_sync)
                        foreach (var q in _peers) { UpdateInterestLocked(q); FillRequestsLocked(q); }
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether blocks may be requested: not while a v2-only torrent lacks the layers to verify them.</summary>
    private bool PiecesVerifiable => Hashes.PiecesVerifiable;

    /// <summary>From the tick, under the swarm lock: asks peers for missing piece layers.</summary>
    private void TickHashesLocked(long now) => Hashes.Tick(now, _peers);

    /// <summary>
    /// A peer told us what it has: a torrent still missing piece layers asks at once rather than on
    /// the next tick (a small hybrid can finish on its v1 hashes before the tick comes).
    /// </summary>
    private void AskForLayersSoonLocked()
    {
        if (Torrent.Info is { HasV2: true, HasPieceLayers: false }) Hashes.Tick(Environment.TickCount64, _peers);
    }
}
