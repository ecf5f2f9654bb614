// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.Metainfo;

/// <summary>What an info dictionary says, once checked.</summary>
internal sealed class ParsedInfo
{
    public required FileStorageBuilder Files { get; init; }
    public required InfoHashes Hashes { get; init; }
    public required int NumPieces { get; init; }
    /// <summary>Offset of the v1 'pieces' string inside the info bytes, or -1.</summary>
    public required int PiecesOffset { get; init; }
    public required bool IsPrivate { get; init; }
    public required bool IsMultiFile { get; init; }
}

/// <summary>
/// libtorrent 2.0.8's torrent_info::parse_info_section, step for step: the order of the checks
/// decides which error a malformed torrent gets, so it follows libtorrent's order exactly.
/// </summary>
internal static class InfoDictionaryParser
{
    public static ParsedInfo Parse(BValue info, int maxPieces)
    {
        if (!info.IsDictionary) throw new MetainfoException(MetainfoErrors.InfoNoDict);
        var raw = info.Raw.Span;
        byte[]? v1 = SHA1.HashData(raw);
        byte[]? v2 = SHA256.HashData(raw);

        // 'meta version' is read as libtorrent's int: a 64-bit value is truncated.
        int version = unchecked((int)(info.GetInteger("meta version") ?? -1));
        if (version > 0)
        {
            if (BencodeSoftErrors.Has(raw)) throw new MetainfoException(MetainfoErrors.InvalidBencoding);
            if (version > 2) throw new MetainfoException(MetainfoErrors.UnknownVersion);
        }
        if (version < 2) v2 = null;

        long pieceLength = info.GetInteger("piece length") ?? -1;
        if (pieceLength <= 0 || pieceLength > int.MaxValue / 2) throw new MetainfoException(MetainfoErrors.MissingPieceLength);
        // BEP 52: a power of two, at least 16 KiB. v1 accepts any positive length.
        if (version > 1 && (pieceLength < MerkleRoot.BlockSize || (pieceLength & (pieceLength - 1)) != 0))
            throw new MetainfoException(MetainfoErrors.MissingPieceLength);

        var files = new FileStorageBuilder((int)pieceLength);
        var nameNode = info.GetString("name.utf-8") ?? info.GetString("name")
            ?? throw new MetainfoException(MetainfoErrors.MissingName);
        string name = PathSanitizer.SanitizeComponent(nameNode.Bytes.Span);
        // A name that sanitises to nothing (such as "..") is replaced by the info-hash. The v1 hash
        // is still set at this point even for a v2-only torrent, so it is the one used.
        if (name.Length == 0) name = Convert.ToHexStringLower(v1 ?? v2!);

        FileStorageBuilder? v1Files = version >= 2 ? new FileStorageBuilder((int)pieceLength) : null;
        var filesNode = info.GetList("files");
        var treeNode = info.GetDictionary("file tree");
        bool multiFile = false;

        if (version >= 2 && treeNode is not null)
        {
            V2FileTreeParser.Extract(treeNode, files, name, filesNode is not null, 0);
            SymlinkSanitizer.Sanitize(files);
            multiFile = files.Count > 1;
        }
        else if (version >= 2) throw new MetainfoException(MetainfoErrors.MissingFileTree);
        else if (treeNode is not null) throw new MetainfoException(MetainfoErrors.MissingMetaVersion);

        if (filesNode is null)
        {
            // Without 'files' there must be a 'length', unless this is a v2-only torrent.
            if (version < 2 || info.Get("length") is not null)
            {
                V1FileParser.Extract(info, v1Files ?? files, "", topLevel: true);
                multiFile = false;
            }
            else v1 = null;
        }
        else
        {
            V1FileParser.ExtractList(filesNode, v1Files ?? files, name);
            multiFile = true;
        }

        if (files.Count == 0) throw new MetainfoException(MetainfoErrors.NoFiles);
        if (files.Name.Length == 0) throw new MetainfoException(MetainfoErrors.MissingName);

        if (v1Files is not null && v1Files.Count > 0)
        {
            // Hybrids made by libtorrent 2.0.0-2.0.7 have no tail pad in their v1 list; accept both.
            if (files.Count == v1Files.Count + 1) files.RemoveTailPadding();
            if (!FileStorageBuilder.Compatible(files, v1Files)) throw new MetainfoException(MetainfoErrors.InconsistentFiles);
        }

        if (files.TotalSize / pieceLength >= int.MaxValue) throw new MetainfoException(MetainfoErrors.TooManyPieces);
        long numPieces = (files.TotalSize + pieceLength - 1) / pieceLength;
        if (numPieces >= int.MaxValue / 20 || numPieces > maxPieces) throw new MetainfoException(MetainfoErrors.TooManyPieces);

        int piecesOffset = -1;
        var pieces = info.GetString("pieces");
        if (pieces is null)
        {
            if (version < 2) throw new MetainfoException(MetainfoErrors.MissingPieces);
        }
        else
        {
            if (pieces.Bytes.Length != numPieces * 20) throw new MetainfoException(MetainfoErrors.InvalidHashes);
            raw.Overlaps(pieces.Bytes.Span, out piecesOffset);
        }

        bool isPrivate = (info.GetInteger("private") ?? 0) != 0;
        if (files.TotalSize == 0) throw new MetainfoException(MetainfoErrors.InvalidLength);

        return new ParsedInfo
        {
            Files = files,
            Hashes = new InfoHashes(v1, v2),
            NumPieces = (int)numPieces,
            PiecesOffset = piecesOffset,
            IsPrivate = isPrivate,
            IsMultiFile = multiFile,
        };
    }
}
