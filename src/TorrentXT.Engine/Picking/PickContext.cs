// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Picking;

/// <summary>
/// One <see cref="PiecePicker.PickBlocks"/> call: who asks, how many blocks are still wanted, and
/// the output. Policies offer pieces to it; it applies the filters every policy shares (the peer
/// has the piece, allowed-fast while choked, each piece handled once per call) and emits blocks.
/// Reused across calls so picking allocates nothing.
/// </summary>
internal sealed class PickContext
{
    private PickerState _s = null!;
    private List<BlockRequest> _into = null!;
    private Bitfield? _bits;

    public IPeerView Peer { get; private set; } = null!;
    public PeerRecord Record { get; private set; } = null!;
    public int Remaining { get; private set; }
    public int Picked { get; private set; }
    public int Stamp { get; private set; }
    public bool HasAll { get; private set; }
    /// <summary>The peer chokes us: only its allowed-fast pieces qualify.</summary>
    public bool Choked { get; private set; }
    public bool Snubbed { get; private set; }
    /// <summary>Fast enough to be given whole pieces of its own.</summary>
    public bool WholePiece { get; private set; }
    public ReadOnlySpan<byte> Bits => _bits is null ? default : _bits.Bytes;
    /// <summary>Whether the peer announced no piece at all (and is not a seed).</summary>
    public bool HasNothing => !HasAll && (_bits is null || _bits.Count == 0);
    public int PeerPieceCount => HasAll ? _s.PieceCount : _bits?.Count ?? 0;
    public bool Full => Remaining <= 0;

    public void Begin(PickerState s, IPeerView peer, PeerRecord record, int maxBlocks, List<BlockRequest> into, bool wholePiece)
    {
        _s = s;
        Peer = peer;
        Record = record;
        _into = into;
        Remaining = maxBlocks;
        Picked = 0;
        Stamp = s.NextStamp();
        HasAll = peer.HasAll;
        _bits = HasAll ? null : peer.Pieces;
        if (_bits is not null && _bits.Length != s.PieceCount) _bits = null; // a malformed view counts as nothing
        Choked = peer.IsChokingUs;
        Snubbed = peer.IsSnubbed;
        WholePiece = wholePiece;
    }

    public bool PeerHas(int piece) => HasAll || (_bits is not null && _bits[piece]);

    /// <summary>The peer has the piece and, while it chokes us, lets us ask for it anyway.</summary>
    public bool MayRequest(int piece)
    {
        if (!PeerHas(piece)) return false;
        if (!Choked) return true;
        var fast = Peer.AllowedFast;
        for (int i = 0; i < fast.Count; i++) if (fast[i] == piece) return true;
        return false;
    }

    /// <summary>The peer's mask word <paramref name="word"/>.</summary>
    public ulong Word(int word) => HasAll ? ulong.MaxValue : _bits is null ? 0 : PeerBits.Word(_bits.Bytes, word);

    public bool IsHandled(int piece) => _s.IsStamped(piece, Stamp);

    /// <summary>Emits the blocks of a piece nobody has started, first block first. Returns false
    /// once the call is full.</summary>
    public bool TakeFresh(int piece)
    {
        if (Full) return false;
        if (_s.IsStamped(piece, Stamp) || !MayRequest(piece)) return true;
        _s.StampPiece(piece, Stamp);
        int blocks = _s.Layout.BlockCount(piece);
        for (int b = 0; b < blocks && Remaining > 0; b++) Emit(piece, b);
        return !Full;
    }

    /// <summary>Emits the free blocks of a piece in progress. Returns false once the call is full.</summary>
    public bool TakeFree(DownloadingPiece dp)
    {
        if (Full) return false;
        if (_s.IsStamped(dp.Piece, Stamp) || dp.Free == 0 || !MayRequest(dp.Piece)) return true;
        _s.StampPiece(dp.Piece, Stamp);
        var states = dp.States;
        for (int b = 0; b < dp.BlockCount && Remaining > 0; b++)
            if (states[b] == BlockState.Free) Emit(dp.Piece, b);
        return !Full;
    }

    /// <summary>Emits one block that another peer already has requested (end-game).</summary>
    public bool TakeBusy(int piece, int block)
    {
        if (Full) return false;
        Emit(piece, block);
        return !Full;
    }

    private void Emit(int piece, int block)
    {
        _into.Add(_s.Layout.Request(piece, block));
        Remaining--;
        Picked++;
    }
}
