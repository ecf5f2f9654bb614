// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Picking;

/// <summary>
/// Continues pieces already in progress, so pieces finish (and can be shared) sooner and fewer are
/// half-done at once. <see cref="Own"/> takes the pieces this peer has requests in; otherwise the
/// pieces of other peers, minus those a whole-piece peer reserved. Closest to complete first (or
/// lowest index first in sequential mode).
/// </summary>
internal sealed class PartialPiecesStage(bool own) : ILevelStage
{
    private readonly List<DownloadingPiece> _candidates = new();
    private int _stamp;

    public bool Own => own;

    public void Run(PickerState s, PickContext ctx, int priority)
    {
        if (_stamp != ctx.Stamp) Gather(s, ctx);
        foreach (var dp in _candidates)
        {
            if (s.Priority[dp.Piece] != priority) continue;
            if (!ctx.TakeFree(dp)) return;
        }
    }

    // Once per call: the candidates of every level, sorted; each level then takes its own.
    private void Gather(PickerState s, PickContext ctx)
    {
        _stamp = ctx.Stamp;
        _candidates.Clear();
        var source = own ? ctx.Record.Pieces : s.WithFree;
        foreach (var dp in source)
        {
            if (dp.Free == 0 || s.Priority[dp.Piece] == 0) continue;
            if (!own && dp.Owner is not null && !ReferenceEquals(dp.Owner, ctx.Record)) continue;
            _candidates.Add(dp);
        }
        _candidates.Sort(s.Sequential ? ByIndex : ByFewestFree);
    }

    private static readonly Comparison<DownloadingPiece> ByIndex = (a, b) => a.Piece.CompareTo(b.Piece);

    private static readonly Comparison<DownloadingPiece> ByFewestFree = (a, b) =>
    {
        int c = a.Free.CompareTo(b.Free);
        return c != 0 ? c : a.Piece.CompareTo(b.Piece);
    };
}
