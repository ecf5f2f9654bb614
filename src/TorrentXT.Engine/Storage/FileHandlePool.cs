// SPDX-License-Identifier: MIT
using Microsoft.Win32.SafeHandles;
using TorrentXT.Engine.Settings;

namespace TorrentXT.Engine.Storage;

/// <summary>
/// A least-recently-used set of open file handles shared by the torrents of a session, bounded by
/// libtorrent's <c>file_pool_size</c> (default 40). Handles are opened read-only until a file is
/// written to, then reopened read-write. Positional reads and writes on one handle are thread-safe,
/// so a handle is shared by all workers; an evicted handle still in use is closed when its last
/// user releases it. Thread-safe.
/// </summary>
public sealed class FileHandlePool : IDisposable
{
    /// <summary>libtorrent 2.0.8's default <c>file_pool_size</c>.</summary>
    public const int DefaultCapacity = 40;

    private readonly object _gate = new();
    private readonly Dictionary<FileKey, Entry> _entries = new();
    // Most recently used first.
    private readonly LinkedList<Entry> _lru = new();
    private int _capacity;
    private int _openHandles;
    private long _opens;
    private bool _disposed;

    public FileHandlePool(int capacity = DefaultCapacity) => _capacity = Math.Max(1, capacity);

    /// <summary>A pool sized by the pack's <c>file_pool_size</c>.</summary>
    public static FileHandlePool FromSettings(SettingsPack settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new FileHandlePool(settings.GetInt(SettingIds.FilePoolSize));
    }

    /// <summary>How many handles the pool keeps open when idle (at least 1).</summary>
    public int Capacity
    {
        get { lock (_gate) return _capacity; }
    }

    /// <summary>Handles open right now, including evicted ones still in use.</summary>
    public int OpenHandles
    {
        get { lock (_gate) return _openHandles; }
    }

    /// <summary>Files opened since the pool was created (a reopen after eviction counts again).</summary>
    public long TotalOpens
    {
        get { lock (_gate) return _opens; }
    }

    /// <summary>Applies a new <c>file_pool_size</c>, closing the least recently used handles beyond it.</summary>
    public void SetCapacity(int capacity)
    {
        lock (_gate)
        {
            _capacity = Math.Max(1, capacity);
            TrimLocked();
        }
    }

    /// <summary>
    /// A handle for <paramref name="path"/>, opened if needed. With <paramref name="write"/> the
    /// file is created (with its directories) and the handle is read-write. Throws <see cref="StorageException"/>.
    /// </summary>
    internal Lease Acquire(object owner, int file, string path, bool write)
    {
        var key = new FileKey(owner, file);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(key, out var e))
            {
                if (!write || e.Writable)
                {
                    e.Users++;
                    _lru.Remove(e.Node);
                    _lru.AddFirst(e.Node);
                    return new Lease(this, e);
                }
                // A read-only handle cannot write: replace it (it closes once its readers are done).
                RetireLocked(e);
            }
            // Opening under the lock keeps two workers from opening the same file twice; opens are rare.
            var handle = FileOpener.Open(path, write, file);
            _opens++;
            _openHandles++;
            var entry = new Entry(key, handle, write) { Users = 1 };
            entry.Node = _lru.AddFirst(entry);
            _entries.Add(key, entry);
            TrimLocked();
            return new Lease(this, entry);
        }
    }

    /// <summary>True/false when <paramref name="owner"/>'s file is open read-write/read-only, null when not open.</summary>
    internal bool? IsOpenForWriting(object owner, int file)
    {
        lock (_gate) return _entries.TryGetValue(new FileKey(owner, file), out var e) ? e.Writable : null;
    }

    /// <summary>
    /// Closes every handle of <paramref name="owner"/>; with <paramref name="flushToDisk"/> the
    /// writable ones are made durable first (fsync). Throws <see cref="StorageException"/> for a failed flush.
    /// </summary>
    internal void CloseAll(object owner, bool flushToDisk, Func<int, string> pathOf)
    {
        List<Entry>? mine = null;
        lock (_gate)
        {
            for (var node = _lru.First; node is not null;)
            {
                var next = node.Next;
                if (ReferenceEquals(node.Value.Key.Owner, owner))
                {
                    // Pinned so it stays open for the flush below, then released like any user.
                    node.Value.Users++;
                    RetireLocked(node.Value);
                    (mine ??= new()).Add(node.Value);
                }
                node = next;
            }
        }
        if (mine is null) return;
        StorageException? failure = null;
        foreach (var e in mine)
        {
            if (flushToDisk && e.Writable && failure is null)
            {
                try { RandomAccess.FlushToDisk(e.Handle); }
                catch (Exception ex) when (OsErrors.IsIoFailure(ex))
                {
                    failure = OsErrors.ToStorage(ex, pathOf(e.Key.File), StorageOperation.Flush, e.Key.File);
                }
            }
            Release(e);
        }
        if (failure is not null) throw failure;
    }

    private void Release(Entry e)
    {
        lock (_gate)
        {
            e.Users--;
            if (e.Retired && e.Users == 0) CloseLocked(e);
        }
    }

    private void TrimLocked()
    {
        while (_entries.Count > _capacity && _lru.Last is { } last) RetireLocked(last.Value);
    }

    private void RetireLocked(Entry e)
    {
        if (e.Retired) return;
        e.Retired = true;
        _entries.Remove(e.Key);
        _lru.Remove(e.Node);
        if (e.Users == 0) CloseLocked(e);
    }

    private void CloseLocked(Entry e)
    {
        if (e.Closed) return;
        e.Closed = true;
        e.Handle.Dispose();
        _openHandles--;
    }

    /// <summary>Closes every handle; handles in use close when released.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            while (_lru.First is { } first) RetireLocked(first.Value);
        }
    }

    internal readonly record struct FileKey(object Owner, int File);

    internal sealed class Entry(FileKey key, SafeFileHandle handle, bool writable)
    {
        public readonly FileKey Key = key;
        public readonly SafeFileHandle Handle = handle;
        public readonly bool Writable = writable;
        public LinkedListNode<Entry> Node = null!;
        public int Users;
        public bool Retired;
        public bool Closed;
    }

    /// <summary>One use of a pooled handle; dispose it to release the handle.</summary>
    internal readonly struct Lease : IDisposable
    {
        private readonly FileHandlePool _pool;
        private readonly Entry _entry;

        internal Lease(FileHandlePool pool, Entry entry)
        {
            _pool = pool;
            _entry = entry;
        }

        public SafeFileHandle Handle => _entry.Handle;

        public void Dispose() => _pool.Release(_entry);
    }
}
