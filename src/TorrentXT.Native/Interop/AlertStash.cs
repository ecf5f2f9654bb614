// SPDX-License-Identifier: MIT
namespace TorrentXT.Native.Interop;

/// <summary>
/// Encoded alert entries (alertType u16, bodyLen u16, kvrecord) that were taken from the engine
/// but did not fit a caller's buffer. FIFO and unbounded: once extracted, a record is never
/// dropped or reordered (contract §3.5).
/// </summary>
internal sealed class AlertStash
{
    private readonly Queue<byte[]> _entries = new();

    public int Count => _entries.Count;
    public bool IsEmpty => _entries.Count == 0;
    public byte[] Peek() => _entries.Peek();
    public byte[] Dequeue() => _entries.Dequeue();
    public void Enqueue(byte[] entry) => _entries.Enqueue(entry);
}
