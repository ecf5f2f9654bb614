// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>Pieces with a deadline, earliest first. Deadlines are few (a streaming window), so a
/// sorted list beats a tree and enumerates without allocating.</summary>
internal sealed class DeadlineList
{
    private readonly List<(long Due, int Piece)> _items = new();

    public int Count => _items.Count;
    public (long Due, int Piece) this[int index] => _items[index];

    public void Set(int piece, long due)
    {
        Remove(piece);
        int lo = 0, hi = _items.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            var m = _items[mid];
            if (m.Due < due || (m.Due == due && m.Piece < piece)) lo = mid + 1; else hi = mid;
        }
        _items.Insert(lo, (due, piece));
    }

    public bool Remove(int piece)
    {
        for (int i = 0; i < _items.Count; i++)
        {
            if (_items[i].Piece != piece) continue;
            _items.RemoveAt(i);
            return true;
        }
        return false;
    }

    public void Clear() => _items.Clear();
}
