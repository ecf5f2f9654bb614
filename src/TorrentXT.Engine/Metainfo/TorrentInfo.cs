// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// A parsed .torrent (v1, v2 / BEP 52, or hybrid) or info dictionary, accepted, repaired or rejected
/// exactly as libtorrent 2.0.8's torrent_info does. Immutable; safe to share between threads.
/// </summary>
public sealed class TorrentInfo
{
    private readonly byte[] _info;
    private readonly int _piecesOffset;
    private readonly byte[]?[] _layers;
    private readonly List<(string Host, int Port)> _nodes;
    private volatile byte[]? _layersEncoded;

    private TorrentInfo(byte[] info, ParsedInfo parsed, byte[]?[] layers, TorrentSources? sources)
    {
        _info = info;
        _piecesOffset = parsed.PiecesOffset;
        _layers = layers;
        var fs = parsed.Files;
        var files = new TorrentFile[fs.Count];
        for (int i = 0; i < files.Length; i++)
        {
            var e = fs.Files[i];
            files[i] = new TorrentFile(i, fs.FilePath(i), e.Size, e.Offset, e.IsPad, e.Attributes, e.Root?.ToArray(), e.Mtime)
            {
                SymlinkTarget = (e.Flags & FileFlags.Symlink) != 0 ? fs.SymlinkTarget(i) : null,
            };
        }
        Files = new FileStorage(files, fs.Name, fs.PieceLength, parsed.NumPieces, fs.TotalSize);
        InfoHashes = parsed.Hashes;
        IsPrivate = parsed.IsPrivate;
        IsMultiFile = parsed.IsMultiFile;
        Trackers = sources?.Trackers ?? [];
        UrlSeeds = sources?.UrlSeeds ?? [];
        HttpSeeds = sources?.HttpSeeds ?? [];
        _nodes = sources?.Nodes ?? [];
        Comment = sources?.Comment;
        CreatedBy = sources?.CreatedBy;
        CreationDate = sources?.CreationDate ?? 0;
    }

    /// <summary>Parses a whole .torrent file. Throws <see cref="MetainfoException"/> with libtorrent's message.</summary>
    public static TorrentInfo Load(ReadOnlyMemory<byte> torrentFile) => Load(torrentFile, MetainfoLimits.Default);

    public static TorrentInfo Load(ReadOnlyMemory<byte> torrentFile, MetainfoLimits limits)
    {
        if (torrentFile.Length > limits.MaxBufferSize) throw new MetainfoException(MetainfoErrors.MetadataTooLarge);
        var root = Decode(torrentFile, limits);
        if (!root.IsDictionary) throw new MetainfoException(MetainfoErrors.TorrentIsNoDict);
        // A .torrent with only a 'magnet-uri' has no metadata; this type always has metadata.
        var info = root.GetDictionary("info") ?? throw new MetainfoException(MetainfoErrors.MissingInfo);
        return Build(info, root.GetDictionary("piece layers"), root, limits.MaxPieces);
    }

    /// <summary>
    /// Builds from a bare info dictionary (metadata fetched from peers, or a resume file's "info"),
    /// optionally with the 'piece layers' dictionary that belongs to it.
    /// </summary>
    public static TorrentInfo FromInfoDictionary(ReadOnlyMemory<byte> infoDict, BValue? pieceLayers = null) =>
        FromInfoDictionary(infoDict, pieceLayers, MetainfoLimits.Default);

    public static TorrentInfo FromInfoDictionary(ReadOnlyMemory<byte> infoDict, BValue? pieceLayers, MetainfoLimits limits)
    {
        if (infoDict.Length > limits.MaxBufferSize) throw new MetainfoException(MetainfoErrors.MetadataTooLarge);
        var info = Decode(infoDict, limits);
        return Build(info, pieceLayers is { IsDictionary: true } ? pieceLayers : null, null, limits.MaxPieces);
    }

    private static BValue Decode(ReadOnlyMemory<byte> data, MetainfoLimits limits)
    {
        try { return BencodeReader.Decode(data, new BencodeLimits(limits.MaxDecodeDepth, limits.MaxDecodeTokens)); }
        catch (BencodeException e) { throw new MetainfoException(e.Message, e); }
    }

    private static TorrentInfo Build(BValue info, BValue? pieceLayers, BValue? torrent, int maxPieces)
    {
        var parsed = InfoDictionaryParser.Parse(info, maxPieces);
        DuplicateFileResolver.Resolve(parsed.Files);
        var layers = parsed.Hashes.HasV2
            ? PieceLayerParser.Parse(pieceLayers, parsed.Files)
            : new byte[]?[parsed.Files.Count];
        var sources = torrent is null ? null : TorrentSources.Read(torrent, parsed.IsMultiFile && parsed.Files.Count > 1);
        return new TorrentInfo(info.Raw.ToArray(), parsed, layers, sources);
    }

    public InfoHashes InfoHashes { get; }
    /// <summary>The torrent's name: the root directory of a multi-file torrent, else the file name.</summary>
    public string Name => Files.Name;
    public FileStorage Files { get; }
    public bool IsPrivate { get; }
    public bool HasV1 => InfoHashes.HasV1;
    public bool HasV2 => InfoHashes.HasV2;
    /// <summary>libtorrent's multifile flag (a 'files' list, or a v2 tree of more than one entry).</summary>
    public bool IsMultiFile { get; }

    /// <summary>Trackers in file order ('announce-list' tiers, else 'announce'); a repeated URL is listed once.</summary>
    public IReadOnlyList<AnnounceEntry> Trackers { get; }
    /// <summary>BEP 19 web seeds ('url-list', a string or a list), escaped and de-duplicated like libtorrent.</summary>
    public IReadOnlyList<string> UrlSeeds { get; }
    /// <summary>BEP 17 HTTP seeds ('httpseeds').</summary>
    public IReadOnlyList<string> HttpSeeds { get; }
    /// <summary>DHT bootstrap nodes from 'nodes'.</summary>
    public IReadOnlyList<(string Host, int Port)> Nodes => _nodes;

    /// <summary>The exact bytes of the info dictionary (an owned copy).</summary>
    public ReadOnlyMemory<byte> InfoBytes => _info;
    public int MetadataSize => _info.Length;

    public string? Comment { get; }
    public string? CreatedBy { get; }
    /// <summary>'creation date' in seconds since 1970, or 0 when absent.</summary>
    public long CreationDate { get; }

    /// <summary>The 20-byte SHA-1 of a piece (v1 and hybrid torrents).</summary>
    public ReadOnlySpan<byte> V1PieceHash(int piece)
    {
        if (_piecesOffset < 0) throw new InvalidOperationException("this torrent has no v1 piece hashes");
        if ((uint)piece >= (uint)Files.NumPieces) throw new ArgumentOutOfRangeException(nameof(piece));
        return _info.AsSpan(_piecesOffset + 20 * piece, 20);
    }

    /// <summary>
    /// v2: true when every file larger than one piece has its verified piece layer (from the
    /// .torrent's 'piece layers'); false for v1 torrents and for v2 metadata without them.
    /// </summary>
    public bool HasPieceLayers => InfoHashes.HasV2 && AllLayersPresent();

    /// <summary>
    /// v2: the file's piece layer (concatenated 32-byte hashes, one per piece). A file of at most one
    /// piece is its own layer: one entry equal to its pieces root. Empty for pad and empty files, and
    /// for a larger file whose layer was not supplied.
    /// </summary>
    public ReadOnlyMemory<byte> PieceLayer(int fileIndex)
    {
        var f = Files.Files[fileIndex];
        if (f.IsPad || f.Size == 0 || f.PiecesRoot is null) return ReadOnlyMemory<byte>.Empty;
        if (f.Size <= Files.PieceLength) return f.PiecesRoot;
        return Volatile.Read(ref _layers[fileIndex]) ?? ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>
    /// Installs the piece layer of a file (obtained from peers, BEP 52) once it is proven: one hash
    /// per piece that hashes up to the file's pieces root. Files sharing the root share the layer.
    /// The .torrent this info writes then carries it. False, and nothing changes, when the layer is
    /// not needed, already present, or wrong.
    /// </summary>
    public bool TrySetPieceLayer(int fileIndex, byte[] layer)
    {
        if ((uint)fileIndex >= (uint)_layers.Length) return false;
        var f = Files.Files[fileIndex];
        if (f.IsPad || f.PiecesRoot is null || f.Size <= Files.PieceLength || _layers[fileIndex] is not null) return false;
        long pieces = (f.Size + Files.PieceLength - 1) / Files.PieceLength;
        if (layer.Length != pieces * MerkleRoot.HashSize) return false;
        var pad = MerkleRoot.PadHash(MerkleRoot.PieceLayerDepth(Files.PieceLength));
        if (!MerkleRoot.RootOfLayer(layer, pad).AsSpan().SequenceEqual(f.PiecesRoot)) return false;
        lock (_layers)
        {
            for (int i = 0; i < _layers.Length; i++)
                if (_layers[i] is null && Files.Files[i].PiecesRoot is { } r && r.AsSpan().SequenceEqual(f.PiecesRoot)
                    && Files.Files[i].Size == f.Size)
                    Volatile.Write(ref _layers[i], layer);
            _layersEncoded = null;
        }
        return true;
    }

    /// <summary>The verified 'piece layers' dictionary, bencoded again; empty when there is none.</summary>
    public ReadOnlyMemory<byte> PieceLayersEncoded => _layersEncoded ?? EncodeLayers();

    // Under the lock, so a layer installed meanwhile never leaves a stale encoding cached.
    private byte[] EncodeLayers()
    {
        lock (_layers)
        {
            var d = new BDict();
            for (int i = 0; i < _layers.Length; i++)
                if (_layers[i] is { } layer) d.Add(Files.Files[i].PiecesRoot!, new BBytes(layer));
            return _layersEncoded = d.Count == 0 ? [] : BencodeWriter.Encode(d);
        }
    }

    private bool AllLayersPresent()
    {
        for (int i = 0; i < _layers.Length; i++)
        {
            var f = Files.Files[i];
            if (f.PiecesRoot is not null && f.Size > Files.PieceLength && _layers[i] is null) return false;
        }
        return true;
    }

    /// <summary>
    /// A .torrent rebuilt from the info bytes plus trackers, web seeds, nodes and piece layers (as
    /// libtorrent's create_torrent(ti).generate() lays it out). Trackers and web seeds may be supplied,
    /// for example those of the magnet link the metadata was fetched for.
    /// </summary>
    public byte[] ToTorrentFile(IReadOnlyList<AnnounceEntry>? trackers = null, IReadOnlyList<string>? urlSeeds = null) =>
        TorrentFileWriter.Write(this, trackers ?? Trackers, urlSeeds ?? UrlSeeds);

    /// <summary>libtorrent's make_magnet_uri for this torrent.</summary>
    public string ToMagnetUri() => MagnetUri.Format(InfoHashes, Name, Trackers.Select(t => t.Url), UrlSeeds, [], [], []);
}
