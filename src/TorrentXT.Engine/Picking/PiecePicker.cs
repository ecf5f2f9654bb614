// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Picking;

/// <summary>
/// Decides which blocks to request from which peer for one torrent, and keeps the state that needs:
/// availability per piece (updated incrementally from HAVE ALL / BITFIELD / HAVE / disconnects),
/// our have set, piece priorities 0..7 (0 = never pick; 4 by default), deadlines, and the per-block
/// state of pieces in progress. Owned by the engine thread: not thread-safe.
/// <para>Order of precedence in <see cref="PickBlocks"/> (each policy is one small class):</para>
/// <list type="number">
/// <item>Deadline pieces, earliest deadline first (<see cref="DeadlineStage"/>).</item>
/// <item>Then, for each priority from 7 down to 1 (<see cref="PriorityLevelsStage"/>):
///   <list type="bullet">
///   <item>pieces this peer already has requests in, closest to done first (<see cref="PartialPiecesStage"/>);</item>
///   <item>other peers' partial pieces, except pieces a whole-piece peer reserved;</item>
///   <item>new pieces (<see cref="NewPiecesStage"/>): allowed-fast only while choked; else
///     sequential (lowest index) if <see cref="Sequential"/>; else random until
///     <see cref="PiecePickerOptions.InitialPickerThreshold"/> pieces are complete; else rarest
///     first with a random tie-break.</item>
///   </list>
///   A whole-piece peer (one that downloads a piece within
///   <see cref="PiecePickerOptions.WholePiecesThresholdSeconds"/>) takes new pieces, which it
///   reserves, before joining others' pieces. A snubbed peer gets no deadline pieces, does not join
///   others' pieces and starts the most common pieces first.</item>
/// <item>End-game duplicates (<see cref="EndGameStage"/>).</item>
/// </list>
/// <para>Picking does not change state: call <see cref="OnRequestSent"/> for each request actually
/// sent. Pieces still to start sit in (priority, availability) buckets, so a pick costs the pieces
/// it looks at, not the torrent's piece count.</para>
/// </summary>
public sealed partial class PiecePicker
{
    private readonly PickerState _s;
    private readonly PickContext _ctx = new();
    private readonly IPickStage[] _normal;
    private readonly IPickStage[] _wholePiece;
    private readonly IPickStage[] _snubbed;

    /// <param name="layout">The torrent's pieces and blocks.</param>
    /// <param name="random">Source of the random tie-breaks (inject a seeded one in tests).</param>
    /// <param name="options">Tunables; libtorrent's defaults when null.</param>
    /// <param name="have">Pieces we already have (resume data or a check); copied.</param>
    public PiecePicker(PieceLayout layout, Random random, PiecePickerOptions? options = null, Bitfield? have = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(random);
        _s = new PickerState(layout, options ?? PiecePickerOptions.Default, random, have);
        var deadline = new DeadlineStage();
        var own = new PartialPiecesStage(own: true);
        var shared = new PartialPiecesStage(own: false);
        var fresh = new NewPiecesStage();
        var endGame = new EndGameStage();
        _normal = [deadline, new PriorityLevelsStage(own, shared, fresh), endGame];
        _wholePiece = [deadline, new PriorityLevelsStage(own, fresh, shared), endGame];
        _snubbed = [new PriorityLevelsStage(own, fresh), endGame];
    }

    public PieceLayout Layout => _s.Layout;
    public int PieceCount => _s.PieceCount;

    public PiecePickerOptions Options
    {
        get => _s.Options;
        set => _s.Options = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Sequential download: within a priority, lowest piece index first.</summary>
    public bool Sequential
    {
        get => _s.Sequential;
        set => _s.Sequential = value;
    }

    /// <summary>
    /// Appends to <paramref name="into"/> up to <paramref name="maxBlocks"/> blocks to request from
    /// <paramref name="peer"/>, best first, and returns how many it appended. Blocks the peer already
    /// has requested are never returned. Nothing changes until <see cref="OnRequestSent"/>.
    /// </summary>
    public int PickBlocks(IPeerView peer, int maxBlocks, List<BlockRequest> into)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(into);
        if (maxBlocks <= 0 || _s.WantedCount == 0) return 0;
        var record = _s.RecordOf(peer);
        bool snubbed = peer.IsSnubbed;
        bool whole = !snubbed && IsWholePiecePeer(peer);
        _ctx.Begin(_s, peer, record, maxBlocks, into, whole);
        if (_ctx.HasNothing) return 0;
        var pipeline = snubbed ? _snubbed : whole ? _wholePiece : _normal;
        foreach (var stage in pipeline)
        {
            if (_ctx.Full) break;
            stage.Run(_s, _ctx);
        }
        return _ctx.Picked;
    }

    /// <summary>True when the peer is fast enough to download a whole piece within
    /// <see cref="PiecePickerOptions.WholePiecesThresholdSeconds"/>: it then gets pieces of its own.</summary>
    public bool IsWholePiecePeer(IPeerView peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        long rate = peer.DownloadRate;
        int seconds = _s.Options.WholePiecesThresholdSeconds;
        return rate > 0 && seconds > 0 && rate * seconds >= _s.Layout.PieceLength;
    }

    /// <summary>True when the peer has a piece we still want (we should be interested in it).</summary>
    public bool IsInteresting(IPeerView peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (_s.WantedCount == 0) return false;
        if (peer.HasAll) return true;
        var bits = peer.Pieces;
        if (bits is null || bits.Count == 0 || bits.Length != PieceCount) return false;
        return PeerBits.Intersects(_s.WantedMask, bits.Bytes);
    }

    // ---- queries

    public bool HavePiece(int piece) => _s.Have[CheckPiece(piece)];
    public int HaveCount => _s.Have.Count;
    /// <summary>Our have set in wire order (for our BITFIELD message).</summary>
    public ReadOnlySpan<byte> HaveBits => _s.Have.Bytes;
    /// <summary>Pieces not had whose priority is above 0.</summary>
    public int WantedCount => _s.WantedCount;
    /// <summary>Every wanted piece is had (libtorrent's "finished"; a seed when nothing was filtered).</summary>
    public bool IsFinished => _s.WantedCount == 0;
    public bool IsSeed => _s.Have.AllSet;
    /// <summary>How many connected peers have the piece (seeds included).</summary>
    public int Availability(int piece) => _s.Availability[CheckPiece(piece)] + _s.Seeds;
    public int SeedCount => _s.Seeds;
    public int PiecePriority(int piece) => _s.Priority[CheckPiece(piece)];
    public int PiecesInProgress => _s.Active.Count;
    /// <summary>True when a wanted piece is left and every block of it that anyone could send is requested or received.</summary>
    public bool IsEndGame => _s.WantedCount > 0 && _s.AllWantedBlocksBusy();
    public bool IsInProgress(int piece) => _s.Downloading[CheckPiece(piece)] is not null;

    public BlockState GetBlockState(int piece, int block)
    {
        if (_s.Have[CheckPiece(piece)]) return BlockState.Finished;
        var dp = _s.Downloading[piece];
        if ((uint)block >= (uint)_s.Layout.BlockCount(piece)) throw new ArgumentOutOfRangeException(nameof(block));
        return dp is null ? BlockState.Free : dp.States[block];
    }

    /// <summary>How many peers have the block requested right now.</summary>
    public int RequesterCount(int piece, int block)
    {
        var dp = _s.Downloading[CheckPiece(piece)];
        if ((uint)block >= (uint)_s.Layout.BlockCount(piece)) throw new ArgumentOutOfRangeException(nameof(block));
        return dp is null || dp.States[block] != BlockState.Requested ? 0 : dp.RequesterCount(block);
    }

    private int CheckPiece(int piece)
    {
        if ((uint)piece >= (uint)_s.PieceCount) throw new ArgumentOutOfRangeException(nameof(piece));
        return piece;
    }
}
