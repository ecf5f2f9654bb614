// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Storage;

namespace TorrentXT.Engine.Swarm;

/// <summary>The swarm's hooks into <see cref="SmartBan"/>: who sent which block, and banning proven liars.</summary>
internal sealed partial class TorrentSwarm
{
    private SmartBan? _smartBan;

    private SmartBan Ban => LazyInitializer.EnsureInitialized(ref _smartBan, () => new SmartBan());

    /// <summary>Under the swarm lock, for each new block.</summary>
    private void NoteBlockSenderLocked(Picking.BlockRequest r, PeerConnection p) =>
        Ban.OnBlock(r.Piece, r.Offset / Picking.PieceLayout.BlockSize, _picker!.Layout.BlockCount(r.Piece), p);

    /// <summary>A piece failed its check: what each peer sent is kept until the piece passes.</summary>
    private Task OnPieceFailedAsync(TorrentStorage storage, int piece)
    {
        var senders = Ban.TakeSenders(piece);
        return senders is null ? Task.CompletedTask
            : Ban.RecordFailureAsync(_host.Disk, storage, piece, storage.Info.Files.PieceSize(piece), senders);
    }

    /// <summary>A piece passed: peers that had sent a different block for it are banned and disconnected.</summary>
    private async Task OnPiecePassedAsync(TorrentStorage storage, int piece)
    {
        Ban.TakeSenders(piece);
        var liars = await Ban.LiarsAsync(_host.Disk, storage, piece, storage.Info.Files.PieceSize(piece)).ConfigureAwait(false);
        if (liars.Count == 0) return;
        List<PeerConnection> close = new();
        lock (_sync)
        {
            foreach (var ep in liars) _banned.Add(ep);
            foreach (var q in _peers) if (liars.Contains(q.Remote)) close.Add(q);
        }
        foreach (var q in close) q.Close();
    }
}
