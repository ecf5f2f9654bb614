// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// A torrent's peer list, kept the way libtorrent keeps its own: every endpoint we could dial, where
/// it came from (<see cref="PeerSource"/> flags, merged when several sources name it), its state
/// (a candidate, being dialled, connected) and how often dialling it failed. Candidates are handed
/// out best first -- fewest failures, then libtorrent's source rank (tracker, LSD, DHT, PEX) -- and
/// only once their back-off has passed: the reconnect interval × (failures + 1) after the last
/// attempt (libtorrent's rule for <c>min_reconnect_time</c>); a peer that failed <c>max_failcount</c>
/// times is dropped. A resumed torrent may dial at once (<see cref="ForgetAttempts"/>). Not
/// thread-safe: the swarm holds its lock.
/// </summary>
internal sealed class PeerList
{
    public enum PeerState : byte { Candidate, Connecting, Connected }

    public sealed class Entry(IPEndPoint endpoint, PeerSource sources, long order)
    {
        public IPEndPoint Endpoint { get; } = endpoint;
        public PeerSource Sources { get; set; } = sources;
        public PeerState State { get; set; }
        public int FailCount { get; set; }
        /// <summary>When we last dialled it or it last disconnected (ms, Environment.TickCount64); null = never.</summary>
        public long? LastAttempt { get; set; }
        internal long Order { get; } = order;
    }

    private readonly Dictionary<IPEndPoint, Entry> _entries = new();
    private long _added;

    /// <summary>Endpoints in the list (any state).</summary>
    public int Count => _entries.Count;

    /// <summary>Dials under way.</summary>
    public int Connecting { get; private set; }

    public Entry? Find(IPEndPoint ep) => _entries.GetValueOrDefault(ep);

    /// <summary>
    /// Adds an endpoint (or merges <paramref name="source"/> into a known one). False when it is new
    /// and the list already holds <paramref name="capacity"/> endpoints (<c>max_peerlist_size</c>).
    /// </summary>
    public bool Add(IPEndPoint ep, PeerSource source, int capacity)
    {
        if (_entries.TryGetValue(ep, out var known))
        {
            known.Sources |= source;
            return true;
        }
        if (_entries.Count >= capacity) return false;
        _entries[ep] = new Entry(ep, source, _added++);
        return true;
    }

    /// <summary>
    /// Moves up to <paramref name="max"/> candidates whose back-off has passed to Connecting and adds
    /// them to <paramref name="into"/>, best first. <paramref name="skip"/> vetoes an endpoint
    /// (banned, filtered, already connected by the other side, not wanted while finished).
    /// </summary>
    public void TakeCandidates(List<IPEndPoint> into, int max, long now, long reconnectMs, Func<IPEndPoint, bool> skip)
    {
        if (max <= 0) return;
        var ready = new List<Entry>();
        foreach (var e in _entries.Values)
        {
            if (e.State != PeerState.Candidate) continue;
            if (e.LastAttempt is { } at && now - at < reconnectMs * (e.FailCount + 1)) continue;
            if (skip(e.Endpoint)) continue;
            ready.Add(e);
        }
        ready.Sort(Better);
        foreach (var e in ready)
        {
            if (into.Count >= max) break;
            e.State = PeerState.Connecting;
            e.LastAttempt = now;
            Connecting++;
            into.Add(e.Endpoint);
        }
    }

    /// <summary>A dial ended. A peer that never completed its handshake counts a failure and is dropped after <paramref name="maxFailCount"/>.</summary>
    public void OnDialEnded(IPEndPoint ep, bool connected, long now, int maxFailCount)
    {
        if (!_entries.TryGetValue(ep, out var e) || e.State == PeerState.Candidate) return;
        if (e.State == PeerState.Connecting) Connecting--;
        e.State = PeerState.Candidate;
        e.LastAttempt = now;
        if (connected)
        {
            e.FailCount = 0;
            return;
        }
        if (++e.FailCount >= Math.Max(1, maxFailCount)) _entries.Remove(ep);
    }

    /// <summary>A dial completed its handshake (counted until <see cref="OnDialEnded"/>).</summary>
    public void OnDialConnected(IPEndPoint ep)
    {
        if (!_entries.TryGetValue(ep, out var e) || e.State != PeerState.Connecting) return;
        Connecting--;
        e.State = PeerState.Connected;
        e.FailCount = 0;
    }

    /// <summary>The peer connected to us and named this listen endpoint: it is not dialled while connected.</summary>
    public void OnIncoming(IPEndPoint listen)
    {
        if (_entries.TryGetValue(listen, out var e) && e.State == PeerState.Candidate) e.State = PeerState.Connected;
    }

    /// <summary>An incoming peer's connection closed: its listen endpoint is a candidate again, after the usual wait.</summary>
    public void OnIncomingClosed(IPEndPoint listen, long now)
    {
        if (!_entries.TryGetValue(listen, out var e) || e.State != PeerState.Connected) return;
        e.State = PeerState.Candidate;
        e.LastAttempt = now;
    }

    /// <summary>The torrent resumed: every candidate may be dialled at once (failure counts stay).</summary>
    public void ForgetAttempts()
    {
        foreach (var e in _entries.Values)
            if (e.State == PeerState.Candidate && e.FailCount == 0) e.LastAttempt = null;
    }

    // libtorrent's order: fewer failures first, then the better-ranked source, then first learnt.
    private static int Better(Entry a, Entry b)
    {
        int c = a.FailCount.CompareTo(b.FailCount);
        if (c != 0) return c;
        c = SourceRank(b.Sources).CompareTo(SourceRank(a.Sources));
        return c != 0 ? c : a.Order.CompareTo(b.Order);
    }

    /// <summary>libtorrent's <c>source_rank</c>: tracker over LSD over DHT over PEX; resume data and magnets rank with none.</summary>
    internal static int SourceRank(PeerSource s) =>
        ((s & PeerSource.Tracker) != 0 ? 1 << 5 : 0) | ((s & PeerSource.Lsd) != 0 ? 1 << 4 : 0)
        | ((s & PeerSource.Dht) != 0 ? 1 << 3 : 0) | ((s & PeerSource.Pex) != 0 ? 1 << 2 : 0);
}
