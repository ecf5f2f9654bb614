// SPDX-License-Identifier: MIT
using System.IO.Enumeration;
using System.Text;

namespace TorrentXT.Engine.Creation;

/// <summary>A file found by the scan, in the order the scan found it.</summary>
/// <param name="SourcePath">where to read it (a link's own path: reads follow it)</param>
/// <param name="Path">its path inside the torrent without the torrent name, one UTF-8 component each; for a
/// single-file torrent just the file name</param>
/// <param name="Executable">the owner-execute bit of the entry itself; a symbolic link always has it on Linux</param>
/// <param name="MTime">modification time in Unix seconds (of a link's target)</param>
internal sealed record ScannedFile(string SourcePath, byte[][] Path, long Size, bool Executable, long MTime);

/// <summary>What a scan found: the torrent name, whether the content is one file, and the files.</summary>
internal sealed record ScannedContent(string Name, bool SingleFile, List<ScannedFile> Files)
{
    public long TotalSize => Files.Sum(f => f.Size);
}

/// <summary>
/// Walks the content the way libtorrent's add_files does with default flags: directories are entered
/// in readdir order, hidden entries included, symbolic links followed (a link to a file is stored as
/// a regular file), and entries whose stat fails (broken links, loops) are skipped silently.
/// </summary>
internal static class ContentScanner
{
    private static readonly EnumerationOptions ListAll = new()
    {
        AttributesToSkip = 0,          // hidden files are content too
        IgnoreInaccessible = true,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <param name="contentPath">a file or directory, without trailing separators</param>
    public static ScannedContent Scan(string contentPath)
    {
        string full = Path.GetFullPath(contentPath);
        string name = Path.GetFileName(full);
        var files = new List<ScannedFile>();
        bool single = !Directory.Exists(full);
        if (single) AddFile(full, [Utf8(name)], files);
        else Walk(full, [], files);
        return new ScannedContent(name, single, files);
    }

    private static void Walk(string directory, byte[][] relative, List<ScannedFile> files)
    {
        List<string> names;
        try
        {
            names = new FileSystemEnumerable<string>(directory, static (ref FileSystemEntry e) => e.FileName.ToString(), ListAll).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // an unreadable directory contributes nothing, as in libtorrent
        }
        foreach (var entry in names)
        {
            string path = Path.Join(directory, entry);
            byte[][] rel = [.. relative, Utf8(entry)];
            if (Directory.Exists(path)) Walk(path, rel, files);   // follows links to directories
            else AddFile(path, rel, files);
        }
    }

    private static void AddFile(string path, byte[][] relative, List<ScannedFile> files)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return;
            bool executable;
            FileInfo target;
            if (info.LinkTarget is not null)
            {
                // stat() follows the link for size and time; the executable bit comes from lstat()
                // of the link itself, whose mode is always 0777 on Linux.
                if (info.ResolveLinkTarget(returnFinalTarget: true) is not { } final) return;
                target = new FileInfo(final.FullName);
                if (!target.Exists) return;
                executable = true;
            }
            else
            {
                target = info;
                executable = !OperatingSystem.IsWindows() && (info.UnixFileMode & UnixFileMode.UserExecute) != 0;
            }
            long mtime = new DateTimeOffset(target.LastWriteTimeUtc).ToUnixTimeSeconds();
            files.Add(new ScannedFile(path, relative, target.Length, executable, mtime));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // stat failed (a link loop, a vanished file): skipped without an error, as libtorrent does.
        }
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
