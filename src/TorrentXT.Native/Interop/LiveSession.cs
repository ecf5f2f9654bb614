// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Torrents;
using TorrentXT.Engine;
using TorrentXT.Native.Errors;
using TorrentXT.Native.Handles;

namespace TorrentXT.Native.Interop;

/// <summary>
/// The ABI's view of the one live session: its handle, the engine session, the reverse map from
/// engine torrent to handle, the alert stash and the DHT counters. Session handles and torrent
/// handles both come from process-wide tables (contract §2.3 and §9.0 D12), so a torrent handle
/// from a freed session is stale in the next one instead of naming a new torrent.
/// </summary>
internal sealed class LiveSession
{
    private static readonly object Gate = new();
    private static readonly HandleTable<LiveSession> Sessions = new();
    private static readonly HandleTable<Torrent> TorrentHandles = new();
    private static LiveSession? _live;

    public int Handle { get; private set; }
    public Session Engine { get; }
    public AlertStash Stash { get; } = new();
    public DhtCounters Dht { get; } = new();
    private readonly Dictionary<Torrent, int> _handleOf = new(ReferenceEqualityComparer.Instance);
    private readonly HeapGovernor _heap = new();

    private LiveSession(Session engine) => Engine = engine;

    /// <summary>Opens the live session, or returns null with the contract's error text.</summary>
    public static LiveSession? Open(Func<Session> create, out string? error)
    {
        lock (Gate)
        {
            if (_live is not null) { error = ErrorText.SessionAlreadyLive; return null; }
            var session = new LiveSession(create());
            int handle = Sessions.Allocate(session);
            if (handle == 0)
            {
                session.Engine.Dispose();
                session._heap.Dispose();
                error = ErrorText.SessionTableExhausted;
                return null;
            }
            session.Handle = handle;
            _live = session;
            error = null;
            return session;
        }
    }

    /// <summary>The live session when <paramref name="handle"/> names it, else null.</summary>
    public static LiveSession? Resolve(int handle)
    {
        var live = Volatile.Read(ref _live);
        return live is not null && handle > 0 && live.Handle == handle ? live : null;
    }

    public static LiveSession? Current => Volatile.Read(ref _live);

    /// <summary>Frees the session: the engine joins its threads; every torrent handle goes stale.</summary>
    public static void Free(int handle)
    {
        LiveSession? session;
        lock (Gate)
        {
            session = Resolve(handle);
            if (session is null) return;
            _live = null;
            Sessions.Free(handle);
            lock (session._handleOf)
            {
                // Only the live session's torrents are in the table, so clearing it frees exactly
                // them, bumping every generation: their handles stay stale for good (D12).
                TorrentHandles.Clear();
                session._handleOf.Clear();
            }
        }
        session.Engine.Dispose();
        session._heap.Dispose();
    }

    // ---- torrent handles ----------------------------------------------------------------------

    /// <summary>The handle of an engine torrent, registering it when new (0 when the table is full).</summary>
    public int HandleFor(Torrent torrent)
    {
        lock (_handleOf)
        {
            if (_handleOf.TryGetValue(torrent, out int h)) return h;
            h = TorrentHandles.Allocate(torrent);
            if (h == 0) return 0;
            _handleOf[torrent] = h;
            return h;
        }
    }

    /// <summary>The handle mapped to a torrent, or 0 when it has none (never allocates).</summary>
    public int MappedHandle(Torrent? torrent)
    {
        if (torrent is null) return 0;
        lock (_handleOf) return _handleOf.TryGetValue(torrent, out int h) ? h : 0;
    }

    /// <summary>Resolves a torrent handle in the live session; null when stale or when the engine dropped it.</summary>
    public static Torrent? ResolveTorrent(int handle)
    {
        var live = Current;
        if (live is null || handle <= 0) return null;
        if (!TorrentHandles.TryGet(handle, out var torrent)) return null;
        lock (live._handleOf)
            return live._handleOf.TryGetValue(torrent!, out int h) && h == handle ? torrent : null;
    }

    /// <summary>Unmaps a torrent and frees its slot (the handle is stale from now on).</summary>
    public void Release(Torrent torrent)
    {
        lock (_handleOf)
        {
            if (!_handleOf.Remove(torrent, out int h)) return;
            TorrentHandles.Free(h);
        }
    }

    private readonly Dictionary<Torrent, int> _removed = new(ReferenceEqualityComparer.Instance);

    /// <summary>Unmaps a torrent for <c>btx_remove</c>, remembering its handle for the torrentRemoved record (D4).</summary>
    public void ReleaseForRemoval(Torrent torrent)
    {
        lock (_handleOf)
        {
            if (_handleOf.TryGetValue(torrent, out int h)) _removed[torrent] = h;
        }
        Release(torrent);
    }

    /// <summary>
    /// The handle a removed torrent had: the one <c>btx_remove</c> released, or -- for a removal
    /// that did not go through it -- its still-mapped handle, whose slot is reclaimed now (§2.6).
    /// </summary>
    public int RemovedHandle(Torrent torrent)
    {
        lock (_handleOf)
        {
            if (_removed.Remove(torrent, out int h)) return h;
        }
        int mapped = MappedHandle(torrent);
        if (mapped != 0) Release(torrent);
        return mapped;
    }

    /// <summary>Occupied torrent slots; the process-wide table holds only the live session's torrents.</summary>
    public int TorrentCount => TorrentHandles.Count;

    /// <summary>The i-th occupied torrent slot in ascending slot order, or 0 (contract §2.5).</summary>
    public int TorrentHandleAt(int index) => TorrentHandles.HandleAt(index);
}

/// <summary>DHT counters from the last statistics snapshot a drain consumed (contract §4.11).</summary>
internal sealed class DhtCounters
{
    public long Nodes, NodeCache, GlobalNodes, Torrents;
}
