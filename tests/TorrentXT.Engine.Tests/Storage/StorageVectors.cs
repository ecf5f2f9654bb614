// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Hashing;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Tests.Creation;

namespace TorrentXT.Engine.Tests.Storage;

/// <summary>The vector torrents as storage tests use them: the torrent-space payload and its blocks.</summary>
internal static class StorageVectors
{
    public static TorrentInfo Load(string id) => TorrentInfo.Load(CreationVectors.TorrentFile(id));

    /// <summary>Every byte of the torrent in torrent space: each file's payload, zeros for pad files.</summary>
    public static byte[] TorrentBytes(string id, TorrentInfo info)
    {
        var all = new byte[info.Files.TotalSize];
        foreach (var f in info.Files.Files)
            if (!f.IsPad && f.Size > 0)
                CreationVectors.Payload(id + ":" + f.Path, f.Size).CopyTo(all.AsSpan((int)f.Offset));
        return all;
    }

    /// <summary>The blocks of every piece, <paramref name="blockSize"/> bytes each (the last of a piece may be short).</summary>
    public static List<(int Piece, int Offset, int Length)> Blocks(TorrentInfo info, int blockSize = 16 * 1024)
    {
        var blocks = new List<(int, int, int)>();
        for (int p = 0; p < info.Files.NumPieces; p++)
            for (int o = 0; o < info.Files.PieceSize(p); o += blockSize)
                blocks.Add((p, o, Math.Min(blockSize, info.Files.PieceSize(p) - o)));
        return blocks;
    }

    public static List<(int Piece, int Offset, int Length)> Shuffled(TorrentInfo info, int seed, int blockSize = 16 * 1024)
    {
        var blocks = Blocks(info, blockSize).ToArray();
        new Random(seed).Shuffle(blocks);
        return blocks.ToList();
    }

    public static ReadOnlySpan<byte> Block(byte[] all, TorrentInfo info, int piece, int offset, int length) =>
        all.AsSpan((int)(info.Files.PieceOffset(piece) + offset), length);

    public static void WritePiece(TorrentStorage storage, byte[] all, int piece, int blockSize = 16 * 1024)
    {
        var info = storage.Info;
        for (int o = 0; o < info.Files.PieceSize(piece); o += blockSize)
        {
            int n = Math.Min(blockSize, info.Files.PieceSize(piece) - o);
            storage.WriteBlock(piece, o, Block(all, info, piece, o, n));
        }
    }

    /// <summary>
    /// The pieces the independent on-disk checker passes. It fails a piece that touches a missing
    /// empty file, so the storage is asked to create the wanted empty files first (as the torrent does).
    /// </summary>
    public static int[] CheckerPasses(TorrentStorage storage)
    {
        storage.CreateEmptyFiles();
        storage.Flush();
        return CheckerPasses(storage.Info, storage.SavePath);
    }

    /// <summary>The pieces the independent on-disk checker passes.</summary>
    public static int[] CheckerPasses(TorrentInfo info, string savePath)
    {
        var checker = new PieceChecker(info, savePath);
        var scratch = new byte[info.Files.PieceLength];
        return Enumerable.Range(0, checker.PieceCount).Where(p => checker.VerifyPiece(p, scratch)).ToArray();
    }

    public static int[] AllPieces(TorrentInfo info) => Enumerable.Range(0, info.Files.NumPieces).ToArray();

    public static int FileIndex(TorrentInfo info, string pathSuffix) =>
        info.Files.Files.Single(f => f.Path.EndsWith(pathSuffix, StringComparison.Ordinal)).Index;

    /// <summary>Priorities of 4 for every file except the named ones, which get 0.</summary>
    public static byte[] SkipFiles(TorrentInfo info, params string[] pathSuffixes)
    {
        var prios = Enumerable.Repeat((byte)4, info.Files.Count).ToArray();
        foreach (var s in pathSuffixes) prios[FileIndex(info, s)] = 0;
        return prios;
    }

    /// <summary>chmod (the tests run on Linux; the guard keeps the platform analyzer satisfied).</summary>
    public static void Chmod(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }

    public static bool RunningAsRoot()
    {
        // A 0555 directory stops everyone but root (CAP_DAC_OVERRIDE); try it rather than ask.
        using var dir = new ScratchDir();
        string ro = Path.Combine(dir.Path, "ro");
        Directory.CreateDirectory(ro);
        Chmod(ro, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            File.WriteAllBytes(Path.Combine(ro, "probe"), [1]);
            return true;
        }
        catch (UnauthorizedAccessException) { return false; }
        finally { Chmod(ro, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); }
    }
}
