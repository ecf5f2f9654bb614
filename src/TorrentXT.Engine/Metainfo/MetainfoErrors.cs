// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Metainfo;

/// <summary>libtorrent's error messages (libtorrent_category) for metainfo and magnet failures.</summary>
internal static class MetainfoErrors
{
    public const string TorrentIsNoDict = "torrent file is not a dictionary";
    public const string MissingInfo = "missing or invalid 'info' section in torrent file";
    public const string InfoNoDict = "'info' entry is not a dictionary";
    public const string MissingPieceLength = "invalid or missing 'piece length' entry in torrent file";
    public const string MissingName = "missing name in torrent file";
    public const string InvalidName = "invalid 'name' of torrent (possible exploit attempt)";
    public const string InvalidLength = "invalid length of torrent";
    public const string FileParseFailed = "failed to parse files from torrent file";
    public const string MissingPieces = "invalid or missing 'pieces' entry in torrent file";
    public const string InvalidHashes = "incorrect number of piece hashes in torrent file";
    public const string TooManyPieces = "too many pieces in torrent";
    public const string InvalidBencoding = "invalid bencoding";
    public const string NoFiles = "no files in torrent";
    public const string InvalidEscapedString = "invalid escaped string";
    public const string MissingInfoHashInUri = "missing info-hash from URI";
    public const string UnsupportedUrlProtocol = "unsupported URL protocol";
    public const string InvalidInfoHash = "invalid info-hash";
    public const string MetadataTooLarge = "metadata too large";
    public const string UnknownVersion = "the torrent file has an unknown meta version";
    public const string MissingFileTree = "the v2 torrent file has no file tree";
    public const string MissingMetaVersion = "the torrent contains v2 keys but does not specify meta version 2";
    public const string InconsistentFiles = "the v1 and v2 file metadata does not match";
    public const string InvalidPieceLayer = "a piece layer is invalid";
    public const string MissingPiecesRoot = "a v2 file entry has no root hash";
    public const string InvalidPadFile = "a file in the v2 metadata has the pad attribute set";
    // errno texts libtorrent reports through the generic category.
    public const string FileTooLarge = "File too large";
    public const string FileNameTooLong = "File name too long";
}
