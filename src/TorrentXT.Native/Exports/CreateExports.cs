// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using TorrentXT.Engine.Creation;
using TorrentXT.Native.Errors;
using TorrentXT.Native.Interop;
using TorrentXT.Native.Records;

namespace TorrentXT.Native.Exports;

/// <summary>
/// <c>btx_create_torrent</c> (contract §4.13, §8). D9: the last result is kept, so the caller's
/// grow-and-retry after minus-needed does not hash the content a second time.
/// </summary>
public static unsafe class CreateExports
{
    private static readonly object Gate = new();
    private static (string Path, int PieceSize, int Flags, string? Trackers, DateTime Stamp, byte[] Result)? _last;

    [UnmanagedCallersOnly(EntryPoint = "btx_create_torrent")]
    public static int CreateTorrent(byte* contentPath, int pieceSize, int flags, byte* trackers, void* output, int cap)
    {
        try
        {
            string? path = Utf8Z.Read(contentPath);
            if (string.IsNullOrEmpty(path)) { LastError.Set(ErrorText.EmptyContentPath); return 0; }
            string? trackerText = Utf8Z.Read(trackers);
            byte[] result;
            try { result = CreateOrReuse(path, pieceSize, flags, trackerText); }
            catch (CreateTorrentException e)
            {
                LastError.Set(e.IsFirewallText ? ErrorText.ExceptionPrefix + e.Message : e.Message);
                return 0;
            }
            return FlatOutput.FlatCopy(result, (byte*)output, cap);
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    private static byte[] CreateOrReuse(string path, int pieceSize, int flags, string? trackers)
    {
        // Reuse only for an identical call whose content has not changed since (newest write time).
        var stamp = NewestWrite(path);
        lock (Gate)
        {
            if (_last is { } l && l.Path == path && l.PieceSize == pieceSize && l.Flags == flags && l.Trackers == trackers && l.Stamp == stamp)
                return l.Result;
        }
        var result = TorrentCreator.Create(new CreateTorrentOptions(path, pieceSize, unchecked((uint)flags), trackers),
            DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        lock (Gate) _last = (path, pieceSize, flags, trackers, stamp, result);
        return result;
    }

    private static DateTime NewestWrite(string path)
    {
        if (File.Exists(path)) return File.GetLastWriteTimeUtc(path);
        if (!Directory.Exists(path)) return default;
        var newest = Directory.GetLastWriteTimeUtc(path);
        foreach (var f in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories))
        {
            var t = File.GetLastWriteTimeUtc(f);
            if (t > newest) newest = t;
        }
        return newest;
    }
}
