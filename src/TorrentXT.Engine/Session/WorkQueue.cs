// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;

namespace TorrentXT.Engine;

/// <summary>
/// A dedicated thread running posted work items in order. Owned by a session and joined when the
/// session ends; an item that throws is contained so one bad item cannot stop the thread.
/// </summary>
internal sealed class WorkQueue
{
    private readonly BlockingCollection<Action> _items = new();
    private readonly Thread _thread;

    public WorkQueue(string name)
    {
        _thread = new Thread(Run) { Name = name, IsBackground = true };
        _thread.Start();
    }

    public void Post(Action work)
    {
        try { _items.Add(work); }
        catch (InvalidOperationException) { /* completed: the session is shutting down */ }
    }

    public void Complete() => _items.CompleteAdding();

    public void Join() => _thread.Join();

    private void Run()
    {
        foreach (var work in _items.GetConsumingEnumerable())
        {
            try { work(); }
            catch (Exception e) { System.Diagnostics.Debug.WriteLine($"{_thread.Name}: {e}"); }
        }
    }
}
