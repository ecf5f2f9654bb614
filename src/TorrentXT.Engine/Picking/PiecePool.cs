// SPDX-License-Identifier: MIT
using System.Numerics;

namespace TorrentXT.Engine.Picking;

/// <summary>
/// The pieces that could be started: wanted (priority &gt; 0, not had) and not yet in progress,
/// kept grouped into buckets by (priority, availability) in one array, so rarest-first is a walk
/// from the first bucket instead of a scan of every piece.
/// <para>Bucket b = level * cap + availability, level = 7 - priority (priority 7 first); bucket b
/// holds <c>_order[_start[b] .. _start[b + 1])</c>. An availability change moves a piece to the
/// adjacent bucket with one swap (O(1)); entering or leaving the pool shifts one element through
/// the buckets after it (O(buckets)). Order inside a bucket is arbitrary: callers start at a random
/// offset, which is the random tie-break.</para>
/// <para>Availability here counts peers that sent a bitfield or HAVEs; seeds (HAVE ALL) add the
/// same amount to every piece, so they never reorder anything and are counted elsewhere.</para>
/// </summary>
internal sealed class PiecePool
{
    public const int Levels = 7;

    private readonly byte[] _priority;
    private readonly int[] _availability;
    private readonly int[] _bucket;
    private readonly int[] _pos;
    private readonly int[] _levelCount = new int[Levels];
    private int[] _order;
    private int[] _start;
    private int _cap;

    /// <summary>Per level, the pool's pieces as a bit mask (see <see cref="PeerBits"/>).</summary>
    public ulong[][] LevelMasks { get; }

    public PiecePool(byte[] priority, int[] availability)
    {
        _priority = priority;
        _availability = availability;
        int n = priority.Length;
        _bucket = new int[n];
        _pos = new int[n];
        Array.Fill(_bucket, -1);
        _order = new int[n];
        _cap = 16;
        _start = new int[Levels * _cap + 1];
        LevelMasks = new ulong[Levels][];
        for (int l = 0; l < Levels; l++) LevelMasks[l] = new ulong[PeerBits.WordCount(n)];
    }

    public int Count => _start[^1];
    public int AvailabilityBuckets => _cap;
    public bool Contains(int piece) => _bucket[piece] >= 0;
    public int LevelCount(int level) => _levelCount[level];
    public int PieceAt(int index) => _order[index];
    public static int LevelOf(int priority) => 7 - priority;

    /// <summary>The level the piece sits in, or -1.</summary>
    public int LevelOfPiece(int piece) => _bucket[piece] < 0 ? -1 : _bucket[piece] / _cap;

    /// <summary>Index range in the order array of one (level, availability) bucket.</summary>
    public (int Lo, int Hi) Bucket(int level, int availability)
    {
        int b = level * _cap + availability;
        return (_start[b], _start[b + 1]);
    }

    /// <summary>Index range in the order array of a whole level.</summary>
    public (int Lo, int Hi) Level(int level) => (_start[level * _cap], _start[(level + 1) * _cap]);

    public void Add(int piece)
    {
        if (_bucket[piece] >= 0) return;
        int avail = _availability[piece];
        if (avail >= _cap) Grow(avail);
        int target = BucketFor(piece);
        int last = Levels * _cap;
        int pos = _start[last];
        _order[pos] = piece;
        _pos[piece] = pos;
        _start[last]++;
        // The piece is now the last element of the last bucket; walk it down: swapping it with the
        // first element of its bucket and moving that bucket's start makes it the last of the one before.
        for (int k = last - 1; k > target; k--)
        {
            int first = _start[k];
            Swap(pos, first);
            pos = first;
            _start[k]++;
        }
        _bucket[piece] = target;
        int level = target / _cap;
        _levelCount[level]++;
        PeerBits.Set(LevelMasks[level], piece, true);
    }

    public void Remove(int piece)
    {
        int b = _bucket[piece];
        if (b < 0) return;
        int last = Levels * _cap;
        int pos = _pos[piece];
        // Mirror of Add: swap to the end of each bucket and move the next bucket's start over it.
        for (int k = b; k < last; k++)
        {
            int end = _start[k + 1] - 1;
            Swap(pos, end);
            pos = end;
            _start[k + 1]--;
        }
        _bucket[piece] = -1;
        int level = b / _cap;
        _levelCount[level]--;
        PeerBits.Set(LevelMasks[level], piece, false);
    }

    /// <summary>Call after the piece's availability went up by one.</summary>
    public void Incremented(int piece)
    {
        int b = _bucket[piece];
        if (b < 0) return;
        if (_availability[piece] >= _cap) { Grow(_availability[piece]); return; }
        int end = _start[b + 1] - 1;
        Swap(_pos[piece], end);
        _start[b + 1]--;
        _bucket[piece] = b + 1;
    }

    /// <summary>Call after the piece's availability went down by one.</summary>
    public void Decremented(int piece)
    {
        int b = _bucket[piece];
        if (b < 0) return;
        int first = _start[b];
        Swap(_pos[piece], first);
        _start[b]++;
        _bucket[piece] = b - 1;
    }

    /// <summary>Replaces the membership at once (after many priorities or haves changed):
    /// O(pieces + buckets) instead of one O(buckets) move per piece.</summary>
    public void RebuildWith(Func<int, bool> isMember)
    {
        var members = new List<int>();
        int maxAvail = 0;
        for (int p = 0; p < _bucket.Length; p++)
        {
            _bucket[p] = -1;
            if (!isMember(p)) continue;
            members.Add(p);
            maxAvail = Math.Max(maxAvail, _availability[p]);
        }
        int cap = _cap;
        while (cap <= maxAvail) cap *= 2;
        Rebuild(cap, members.ToArray());
    }

    private int BucketFor(int piece) => LevelOf(_priority[piece]) * _cap + _availability[piece];

    private void Grow(int availability)
    {
        var members = new int[Count];
        Array.Copy(_order, members, members.Length);
        Rebuild((int)BitOperations.RoundUpToPowerOf2((uint)availability + 1) * 2, members);
    }

    private void Rebuild(int cap, int[] members)
    {
        foreach (var mask in LevelMasks) Array.Clear(mask);
        Array.Clear(_levelCount);
        _cap = cap;
        _start = new int[Levels * cap + 1];
        // Counting sort by bucket.
        foreach (int p in members) _start[BucketFor(p) + 1]++;
        for (int b = 1; b < _start.Length; b++) _start[b] += _start[b - 1];
        var fill = new int[Levels * cap];
        foreach (int p in members)
        {
            int b = BucketFor(p);
            int at = _start[b] + fill[b]++;
            _order[at] = p;
            _pos[p] = at;
            _bucket[p] = b;
            _levelCount[b / cap]++;
            PeerBits.Set(LevelMasks[b / cap], p, true);
        }
    }

    private void Swap(int i, int j)
    {
        if (i == j) return;
        int a = _order[i], b = _order[j];
        _order[i] = b; _pos[b] = i;
        _order[j] = a; _pos[a] = j;
    }
}
