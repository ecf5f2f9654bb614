// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

// What we want: priorities, deadlines and the have set.
public sealed partial class PiecePicker
{
    /// <summary>Sets one piece's priority, 0 (never pick) to 7. A piece in progress keeps the
    /// requests it has but gets no new ones at priority 0.</summary>
    public void SetPiecePriority(int piece, int priority)
    {
        CheckPiece(piece);
        if ((uint)priority > 7) throw new ArgumentOutOfRangeException(nameof(priority), "A priority is 0 to 7.");
        if (_s.Priority[piece] == priority) return;
        _s.Priority[piece] = (byte)priority;
        _s.Reconcile(piece);
    }

    /// <summary>Sets every piece's priority at once (e.g. from file priorities) in one pass.</summary>
    public void SetPiecePriorities(ReadOnlySpan<byte> priorities)
    {
        if (priorities.Length != PieceCount) throw new ArgumentException("One priority per piece is needed.", nameof(priorities));
        foreach (byte p in priorities)
            if (p > 7) throw new ArgumentOutOfRangeException(nameof(priorities), "A priority is 0 to 7.");
        priorities.CopyTo(_s.Priority);
        _s.RebuildWanted();
    }

    /// <summary>The piece is wanted by <paramref name="dueTicks"/> (any monotonic clock): deadline
    /// pieces are picked before everything else, earliest first.</summary>
    public void SetDeadline(int piece, long dueTicks)
    {
        CheckPiece(piece);
        if (_s.Have[piece]) return;
        _s.Deadlines.Set(piece, dueTicks);
    }

    public void ClearDeadline(int piece) => _s.Deadlines.Remove(CheckPiece(piece));

    public void ClearDeadlines() => _s.Deadlines.Clear();

    /// <summary>Marks a piece as had without downloading it (resume data, a recheck, or a passed
    /// hash). Any progress on it is dropped.</summary>
    public void MarkHave(int piece)
    {
        CheckPiece(piece);
        _s.Have.Set(piece, true);
        _s.Deadlines.Remove(piece);
        var dp = _s.Downloading[piece];
        if (dp is not null) _s.RetirePiece(dp);
        else _s.Reconcile(piece);
    }

    /// <summary>Forgets that we have a piece (its data was found bad or deleted).</summary>
    public void ClearHave(int piece)
    {
        CheckPiece(piece);
        _s.Have.Set(piece, false);
        _s.Reconcile(piece);
    }
}
