// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Resume;
using TorrentXT.Engine.Torrents;
using TorrentXT.Native.Errors;
using TorrentXT.Native.Records;

namespace TorrentXT.Native.Interop;

/// <summary>The shared tail of the five add functions: save path, flags, the add itself, the handle.</summary>
internal static unsafe class TorrentAdder
{
    /// <summary>An optional save path: NULL or "" means the current directory, made absolute (§1.2).</summary>
    public static string SavePath(byte* savePath)
    {
        string? p = Utf8Z.Read(savePath);
        return Path.GetFullPath(string.IsNullOrEmpty(p) ? Directory.GetCurrentDirectory() : p);
    }

    /// <summary>The add-time flags: the defaults, or (default &amp; ~mask) | (flags &amp; mask) when both strings are given.</summary>
    public static TorrentFlags Flags(byte* flagsDec, byte* maskDec)
    {
        var flags = TorrentFlags.Default;
        if (flagsDec is null || maskDec is null) return flags;
        ulong f = CNumber.ParseUInt64Saturating(flagsDec), m = CNumber.ParseUInt64Saturating(maskDec);
        return (TorrentFlags)(((ulong)flags & ~m) | (f & m));
    }

    /// <summary>Adds and returns the torrent's handle; a duplicate add returns the existing handle (D2).</summary>
    public static int Add(LiveSession live, AddTorrentParams p)
    {
        var torrent = live.Engine.Add(p, out _);
        int handle = live.HandleFor(torrent);
        if (handle != 0) return handle;
        live.Engine.Remove(torrent, deleteFiles: false);
        return Fail.Zero(ErrorText.TorrentTableExhausted);
    }

    public static int AddTorrentFile(int s, void* data, int len, byte* savePath, byte* flagsDec, byte* maskDec)
    {
        var live = LiveSession.Resolve(s);
        if (live is null) return Fail.Zero(ErrorText.NoLiveSession);
        if (data is null || len <= 0) return Fail.Zero(ErrorText.EmptyTorrentBuffer);
        TorrentInfo info;
        try { info = TorrentInfo.Load(new ReadOnlySpan<byte>(data, len).ToArray()); }
        catch (MetainfoException e) { return Fail.Zero(ErrorText.InvalidTorrentPrefix + e.Message); }
        return Add(live, AddTorrentParams.FromTorrent(info, SavePath(savePath), Flags(flagsDec, maskDec)));
    }

    /// <summary>
    /// A libtorrent resume blob (ours or libtorrent 2.0's): metadata from its info dict if any, its
    /// piece state checked against the disk before it is trusted, a non-empty save path overriding its own.
    /// </summary>
    public static int AddWithResume(LiveSession live, byte[] blob, byte* savePath)
    {
        AddTorrentParams p;
        try
        {
            var data = ResumeDataReader.Parse(blob);
            p = ResumeAddParams.Create(data, Utf8Z.Read(savePath));
        }
        catch (ResumeDataException e) { return Fail.Zero(ErrorText.InvalidResumeDataPrefix + e.Message); }
        return Add(live, p);
    }

    public static int AddMagnet(int s, byte* uri, byte* savePath, byte* flagsDec, byte* maskDec)
    {
        var live = LiveSession.Resolve(s);
        if (live is null) return Fail.Zero(ErrorText.NoLiveSession);
        string? text = Utf8Z.Read(uri);
        if (string.IsNullOrEmpty(text)) return Fail.Zero(ErrorText.EmptyMagnetUri);
        MagnetUri magnet;
        try { magnet = MagnetUri.Parse(text); }
        catch (MetainfoException e) { return Fail.Zero(ErrorText.BadMagnetUriPrefix + e.Message); }
        return Add(live, AddTorrentParams.FromMagnet(magnet, SavePath(savePath), Flags(flagsDec, maskDec)));
    }
}
