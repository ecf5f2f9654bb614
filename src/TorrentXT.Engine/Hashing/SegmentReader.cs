// SPDX-License-Identifier: MIT
using Microsoft.Win32.SafeHandles;

namespace TorrentXT.Engine.Hashing;

/// <summary>
/// Reads byte ranges of a <see cref="PieceSpace"/> from disk with positional reads. Pad files read as
/// zeros. A missing, unreadable or short file does not stop the read: its bytes read as zeros and
/// the range is recorded in <see cref="Failures"/>, so a checker can fail only the pieces it touches.
/// One reader belongs to one worker thread; it keeps the current file open between calls because
/// consecutive reads of a worker usually continue the same file.
/// </summary>
internal sealed class SegmentReader : IDisposable
{
    private readonly PieceSpace _space;
    private readonly HashSet<int> _broken = new();
    private SafeFileHandle? _handle;
    private int _handleSegment = -1;

    public SegmentReader(PieceSpace space) => _space = space;

    /// <summary>Ranges (torrent offsets, end exclusive) that could not be read by the last <see cref="Read"/>.</summary>
    public List<(long Start, long End)> Failures { get; } = new();

    /// <summary>The text of the most recent failure (strerror style), or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Fills <paramref name="destination"/> with the torrent's bytes from <paramref name="position"/>; false when any part failed.</summary>
    public bool Read(long position, Span<byte> destination)
    {
        Failures.Clear();
        int seg = _space.SegmentAt(position);
        int done = 0;
        while (done < destination.Length)
        {
            if (seg < 0)
            {
                // Past the end of the torrent: nothing there but the caller asked; treat as zeros.
                destination[done..].Clear();
                break;
            }
            var s = _space.Segments[seg];
            long pos = position + done;
            int n = (int)Math.Min(destination.Length - done, s.End - pos);
            var part = destination.Slice(done, n);
            if (s.IsPad) part.Clear();
            else ReadFile(seg, s, pos - s.Offset, part, pos);
            done += n;
            seg++;
        }
        return Failures.Count == 0;
    }

    private void ReadFile(int seg, StorageSegment s, long fileOffset, Span<byte> part, long torrentPos)
    {
        if (_broken.Contains(seg)) { Fail(part, torrentPos, null); return; }
        try
        {
            var handle = HandleFor(seg, s);
            int got = 0;
            while (got < part.Length)
            {
                int r = RandomAccess.Read(handle, part[got..], fileOffset + got);
                if (r == 0)
                {
                    // The file is shorter than the torrent says: the rest of this part is missing.
                    Fail(part[got..], torrentPos + got, IoErrorText.EndOfFile);
                    return;
                }
                got += r;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _broken.Add(seg);
            Fail(part, torrentPos, IoErrorText.For(e));
        }
    }

    private void Fail(Span<byte> part, long torrentPos, string? message)
    {
        part.Clear();
        Failures.Add((torrentPos, torrentPos + part.Length));
        if (message is not null) LastError = message;
    }

    private SafeFileHandle HandleFor(int seg, StorageSegment s)
    {
        if (_handleSegment == seg && _handle is not null) return _handle;
        CloseHandle();
        _handle = File.OpenHandle(s.Path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        _handleSegment = seg;
        return _handle;
    }

    private void CloseHandle()
    {
        _handle?.Dispose();
        _handle = null;
        _handleSegment = -1;
    }

    public void Dispose() => CloseHandle();
}
