// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Hashing;

namespace TorrentXT.Engine.Creation;

/// <summary>The hashes a new torrent needs.</summary>
/// <param name="V1Pieces">20 bytes per piece, empty for v2-only</param>
/// <param name="Roots">per layout entry: the v2 pieces root of a non-empty file, else null</param>
/// <param name="Layers">per layout entry: the v2 piece layer of a file larger than one piece, else null</param>
internal sealed record ContentHashes(byte[] V1Pieces, byte[]?[] Roots, byte[]?[] Layers);

/// <summary>
/// Hashes a layout on all cores: v1 SHA-1 per piece and v2 merkle nodes per file piece, in one pass
/// over the data. The per-piece results land in preallocated arrays (each piece writes its own
/// slots, so workers need no locks); file roots are folded from the piece layers at the end.
/// </summary>
internal static class ContentHasher
{
    public static ContentHashes Hash(List<LayoutFile> layout, int pieceLength, bool v1, bool v2, int parallelism)
    {
        var space = new PieceSpace(TorrentLayout.Segments(layout), pieceLength);
        var sink = new Sink(space, v1, v2);
        string? failure = ParallelPieceHashing.Run(space, v1, v2, sink, parallelism, stopOnError: true, CancellationToken.None);
        if (failure is not null) throw CreateTorrentException.HashingFailed(failure);

        if (v2)
        {
            for (int i = 0; i < layout.Count; i++)
                if (sink.Layers[i] is { } layer)
                    sink.Roots[i] = Merkle.RootFromPieceLayer(layer, pieceLength, layout[i].Size);
        }
        return new ContentHashes(sink.Pieces, sink.Roots, sink.Layers);
    }

    private sealed class Sink : IPieceHashSink
    {
        private readonly PieceSpace _space;

        public Sink(PieceSpace space, bool v1, bool v2)
        {
            _space = space;
            Pieces = v1 ? new byte[space.PieceCount * 20L] : [];
            int n = space.Segments.Length;
            Roots = new byte[]?[n];
            Layers = new byte[]?[n];
            if (!v2) return;
            for (int i = 0; i < n; i++)
            {
                var s = space.Segments[i];
                if (s.IsPad || s.Size == 0) continue;
                Roots[i] = new byte[Merkle.HashSize];
                if (s.Size > space.PieceLength)
                    Layers[i] = new byte[(s.Size + space.PieceLength - 1) / space.PieceLength * Merkle.HashSize];
            }
        }

        public byte[] Pieces { get; }
        public byte[]?[] Roots { get; }
        public byte[]?[] Layers { get; }

        public void OnPiece(int piece, ReadOnlySpan<byte> sha1, ReadOnlySpan<byte> v2Node, int v2Segment, bool dataComplete)
        {
            if (!sha1.IsEmpty) sha1.CopyTo(Pieces.AsSpan(piece * 20, 20));
            if (v2Segment < 0) return;
            if (Layers[v2Segment] is { } layer)
            {
                long indexInFile = (_space.PieceStart(piece) - _space.Segments[v2Segment].Offset) / _space.PieceLength;
                v2Node.CopyTo(layer.AsSpan((int)(indexInFile * Merkle.HashSize), Merkle.HashSize));
            }
            else
            {
                v2Node.CopyTo(Roots[v2Segment]);
            }
        }
    }
}
