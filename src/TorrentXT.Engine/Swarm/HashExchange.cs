// SPDX-License-Identifier: MIT
using System.Numerics;
using TorrentXT.Engine.Hashing;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// BEP 52 hash transfer for one torrent. As a downloader: a v2 or hybrid torrent whose metadata came
/// without piece layers (a magnet) asks peers for each file's piece layer, 512 hashes at a time with
/// the uncle hashes up to the pieces root, proves every reply against that root and installs the
/// finished layer in the torrent's <see cref="TorrentInfo"/> (so pieces verify and saved .torrent
/// files carry it). As a seeder: answers requests for any layer from the piece layer up, and rejects
/// what it cannot prove. Its own lock is taken after the swarm's, never the other way round.
/// </summary>
internal sealed class HashExchange
{
    private const int ChunkPieces = 512;                 // hashes per request, as libtorrent asks
    private const long RequestTimeoutMs = 10_000;
    private const int MaxOutstandingPerPeer = 4;
    private const int MaxPendingSendBytes = 4 << 20;     // beyond this a requester gets rejects, not hashes

    private readonly object _sync = new();
    private readonly Torrent _torrent;
    private TorrentInfo? _info;                          // the metadata the plan below was made for
    private List<FilePlan> _missing = new();
    private Dictionary<string, int>? _fileByRoot;
    private readonly Dictionary<int, LayerTree> _trees = new();
    private volatile bool _ready;

    public HashExchange(Torrent torrent) => _torrent = torrent;

    /// <summary>
    /// False while a v2-only torrent lacks piece layers: its pieces could not be verified, so no block
    /// is requested until they arrive (a hybrid's v1 hashes vouch for its pieces meanwhile).
    /// </summary>
    public bool PiecesVerifiable
    {
        get
        {
            if (_ready) return true;
            var info = _torrent.Info;
            if (info is null) return false;
            if (info.HasV1 || info.HasPieceLayers) { _ready = true; return true; }
            return false;
        }
    }

    private sealed class FilePlan(int file, byte[] root, int pieces, int firstPiece, int pieceLayer, int height)
    {
        public readonly int File = file, Pieces = pieces, FirstPiece = firstPiece, PieceLayer = pieceLayer, Height = height;
        public readonly byte[] Root = root;
        public readonly byte[] Layer = new byte[pieces * Merkle.HashSize];
        public readonly Chunk[] Chunks = new Chunk[(pieces + ChunkPieces - 1) / ChunkPieces];

        public HashRequest RequestFor(int chunk)
        {
            int index = chunk * ChunkPieces;
            int count = (int)Math.Min(ChunkPieces, BitOperations.RoundUpToPowerOf2((uint)(Pieces - index)));
            if (count < 2) count = 2;
            // Proof up to the root: the run's own subtree, then one uncle per layer above it.
            return new HashRequest(Root, PieceLayer, index, count, Height - PieceLayer - 1);
        }
    }

    private struct Chunk
    {
        public bool Done;
        public PeerConnection? From;
        public long At;
        public HashSet<PeerConnection>? Rejected;
    }

    // ---- downloading layers -------------------------------------------------------------------

    /// <summary>Sends the hash requests still needed to peers that can answer them (called by the swarm's tick, under its lock).</summary>
    public void Tick(long now, IReadOnlyList<PeerConnection> peers)
    {
        var info = _torrent.Info;
        if (info is null || !info.HasV2 || peers.Count == 0) return;
        lock (_sync)
        {
            Plan(info);
            if (_missing.Count == 0) return;
            var outstanding = new Dictionary<PeerConnection, int>();
            foreach (var plan in _missing)
                foreach (var c in plan.Chunks)
                    if (!c.Done && c.From is { } from && now - c.At < RequestTimeoutMs)
                        outstanding[from] = outstanding.GetValueOrDefault(from) + 1;
            foreach (var plan in _missing)
            {
                for (int i = 0; i < plan.Chunks.Length; i++)
                {
                    ref var c = ref plan.Chunks[i];
                    if (c.Done || (c.From is { IsClosed: false } && now - c.At < RequestTimeoutMs)) continue;
                    int first = plan.FirstPiece + i * ChunkPieces, last = plan.FirstPiece + Math.Min(plan.Pieces, (i + 1) * ChunkPieces) - 1;
                    PeerConnection? best = null;
                    foreach (var p in peers)
                    {
                        // libtorrent drops a peer that sends hash requests on a connection opened with the v1 hash.
                        if (!p.ProtocolV2 || p.IsClosed || p == c.From || outstanding.GetValueOrDefault(p) >= MaxOutstandingPerPeer) continue;
                        if (c.Rejected?.Contains(p) == true || !HasAnyOf(p, first, last)) continue;
                        best = p;
                        break;
                    }
                    if (best is null)
                    {
                        // Every peer rejected it: ask them all again, but only after a while.
                        if (now - c.At >= RequestTimeoutMs) { c.Rejected?.Clear(); c.At = now; }
                        continue;
                    }
                    c.From = best;
                    c.At = now;
                    outstanding[best] = outstanding.GetValueOrDefault(best) + 1;
                    best.SendHashRequest(plan.RequestFor(i));
                }
            }
        }
    }

    private static bool HasAnyOf(PeerConnection p, int first, int last)
    {
        if (p.PeerHasAll) return true;
        if (p.PeerHave is { } have)
        {
            for (int i = first; i <= last && i < have.Length; i++) if (have[i]) return true;
            return false;
        }
        if (p.PeerBitfieldRaw is { } raw)
            for (int i = first; i <= last && (i >> 3) < raw.Length; i++)
                if ((raw[i >> 3] & (0x80 >> (i & 7))) != 0) return true;
        return false;
    }

    /// <summary>Lists the files whose layer is missing, once per metadata.</summary>
    private void Plan(TorrentInfo info)
    {
        if (ReferenceEquals(info, _info)) return;
        _info = info;
        _missing = new List<FilePlan>();
        var files = info.Files;
        int pieceLayer = MerkleRoot.PieceLayerDepth(files.PieceLength);
        for (int f = 0; f < files.Count; f++)
        {
            var file = files.Files[f];
            if (file.IsPad || file.PiecesRoot is null || file.Size <= files.PieceLength || !info.PieceLayer(f).IsEmpty) continue;
            // Identical files share a root and so a layer: ask once.
            if (_missing.Exists(m => m.Root.AsSpan().SequenceEqual(file.PiecesRoot) && files.Files[m.File].Size == file.Size)) continue;
            int pieces = (int)((file.Size + files.PieceLength - 1) / files.PieceLength);
            _missing.Add(new FilePlan(f, file.PiecesRoot, pieces, (int)(file.Offset / files.PieceLength), pieceLayer, HashRequest.TreeHeight(file.Size)));
        }
    }

    /// <summary>
    /// A hashes message. A reply that proves the root fills its part of the layer; one that does not
    /// (or has the wrong size) is hostile and closes the connection (the exception does that).
    /// Returns true when it completed the last missing layer.
    /// </summary>
    public bool OnHashes(PeerConnection p, in PeerMessage m)
    {
        var req = HashRequest.From(m);
        var info = _torrent.Info;
        if (info is null) return false;
        req.SplitReply(m.Payload, out var baseHashes, out var uncles);
        lock (_sync)
        {
            Plan(info);
            var plan = _missing.Find(x => x.Root.AsSpan().SequenceEqual(req.PiecesRoot));
            if (plan is null || req.BaseLayer != plan.PieceLayer || req.Index % ChunkPieces != 0) return false; // not asked for (or already known)
            int chunk = req.Index / ChunkPieces;
            if (chunk >= plan.Chunks.Length || plan.Chunks[chunk].Done || req != plan.RequestFor(chunk)) return false;
            if (!MerkleProof.Verify(baseHashes, req.BaseLayer, req.Index, uncles, plan.Height, plan.Root))
                throw new PeerWireException(PeerWireError.InvalidMessageField, "hashes do not prove the file's pieces root");
            int take = Math.Min(req.Count, plan.Pieces - req.Index);
            baseHashes[..(take * Merkle.HashSize)].CopyTo(plan.Layer.AsSpan(req.Index * Merkle.HashSize));
            plan.Chunks[chunk].Done = true;
            plan.Chunks[chunk].From = null;
            if (Array.Exists(plan.Chunks, c => !c.Done)) return false;
            _missing.Remove(plan);
            // Proven chunk by chunk already; TrySetPieceLayer checks the whole layer once more.
            info.TrySetPieceLayer(plan.File, plan.Layer);
            return _missing.Count == 0;
        }
    }

    /// <summary>A hash reject: that chunk goes to another peer.</summary>
    public void OnHashReject(PeerConnection p, in PeerMessage m)
    {
        var req = HashRequest.From(m);
        lock (_sync)
        {
            var plan = _missing.Find(x => x.Root.AsSpan().SequenceEqual(req.PiecesRoot));
            if (plan is null || req.Index % ChunkPieces != 0 || req.Index / ChunkPieces >= plan.Chunks.Length) return;
            ref var c = ref plan.Chunks[req.Index / ChunkPieces];
            if (c.From != p) return;
            c.From = null;
            (c.Rejected ??= new HashSet<PeerConnection>()).Add(p);
        }
    }

    // ---- serving layers -----------------------------------------------------------------------

    /// <summary>A hash request: answered from the piece layer (or any layer above it) we have, else rejected.</summary>
    public void OnHashRequest(PeerConnection p, in PeerMessage m)
    {
        var req = HashRequest.From(m);
        p.LastHashRequestIn = Environment.TickCount64;
        // A peer that floods hash requests without reading the answers is dropped, not queued for.
        if (p.PendingSendBytes > 4 * MaxPendingSendBytes)
            throw new PeerWireException(PeerWireError.InvalidMessageField, "hash request flood: the peer does not read");
        byte[]? reply = p.PendingSendBytes > MaxPendingSendBytes ? null : Answer(req);
        if (reply is null) p.SendHashReject(req);
        else p.SendHashes(req, reply);
    }

    private byte[]? Answer(HashRequest req)
    {
        var info = _torrent.Info;
        if (info is null || !info.HasV2) return null;
        lock (_sync)
        {
            if (_fileByRoot is null || !ReferenceEquals(info, _info))
            {
                Plan(info);
                _fileByRoot = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int f = 0; f < info.Files.Count; f++)
                    if (info.Files.Files[f] is { IsPad: false, PiecesRoot: { } root }) _fileByRoot.TryAdd(Convert.ToHexString(root), f);
            }
            if (!_fileByRoot.TryGetValue(Convert.ToHexString(req.PiecesRoot), out int file)) return null;
            var entry = info.Files.Files[file];
            if (!req.IsValidFor(entry.Size)) return null;
            if (!_trees.TryGetValue(file, out var tree))
            {
                var layer = info.PieceLayer(file);
                if (layer.IsEmpty || entry.Size <= info.Files.PieceLength) return null; // no layer, or a one-piece file (its root is all there is)
                tree = new LayerTree(layer.Span, MerkleRoot.PieceLayerDepth(info.Files.PieceLength), HashRequest.TreeHeight(entry.Size));
                _trees[file] = tree;
            }
            return tree.Reply(req.BaseLayer, req.Index, req.Count, req.ProofLayers);
        }
    }
}
