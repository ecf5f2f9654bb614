// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Resume;

/// <summary>Why the disk does not agree with a resume blob: libtorrent's operation name and the file.</summary>
public sealed record FastResumeRejection(string Operation, string Path)
{
    /// <summary>libtorrent's errors::mismatching_file_size.</summary>
    public const int MismatchingFileSize = 134;
    public const string Message = "mismatching file size";
}

/// <summary>
/// Decides whether a blob's piece state may be trusted without hashing. libtorrent 2.0
/// (<c>verify_resume_data</c>) checks that the file holding the first byte of every piece marked
/// present exists and, for a complete torrent, that every file is at least its full size; it
/// checks no modification times (2.0 dropped them). We check more: every file a present piece
/// touches must exist and reach the last byte of the last present piece inside it, so a file
/// truncated or deleted while we were away is caught whichever piece it cut into. As in
/// libtorrent, files at priority 0 (their edges live in the part file) and pad files are skipped.
/// </summary>
public static class FastResumeCheck
{
    public static FastResumeRejection? Verify(TorrentInfo info, Func<string, string> pathOf, ResumeData resume, ReadOnlySpan<byte> filePriorities)
    {
        var fs = info.Files;
        for (int f = 0; f < fs.Count; f++)
        {
            var file = fs.Files[f];
            if (file.IsPad || file.IsSymlink || file.Size == 0) continue;
            if (f < filePriorities.Length && filePriorities[f] == 0) continue;
            var (first, last) = fs.PieceRangeOfFile(f);
            long needed = 0;
            for (int piece = last; piece >= first; piece--)
            {
                if (!resume.HasPiece(piece)) continue;
                long pieceEnd = fs.PieceOffset(piece) + fs.PieceSize(piece);
                needed = Math.Min(pieceEnd, file.Offset + file.Size) - file.Offset;
                break;
            }
            if (needed <= 0) continue;
            string path = pathOf(file.Path);
            long size;
            try
            {
                var fi = new FileInfo(path);
                size = fi.Exists ? fi.Length : -1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { size = -1; }
            if (size < 0) return new FastResumeRejection("file_stat", path);
            if (size < needed) return new FastResumeRejection("check_resume", path);
        }
        return null;
    }
}
