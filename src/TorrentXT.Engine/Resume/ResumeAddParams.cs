// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Resume;

/// <summary>Turns parsed resume data into what <see cref="Session.Add"/> takes.</summary>
public static class ResumeAddParams
{
    /// <summary>
    /// The add parameters for <paramref name="r"/>: metadata from its info dictionary when it has
    /// one (v2 piece layers rebuilt from its trees), the flags it records over libtorrent's
    /// defaults, and the save path <paramref name="savePathOverride"/> when given, else the blob's.
    /// Throws <see cref="ResumeDataException"/>.
    /// </summary>
    public static AddTorrentParams Create(ResumeData r, string? savePathOverride)
    {
        TorrentInfo? info = null;
        if (r.InfoDict is { } raw)
        {
            try
            {
                info = TorrentInfo.FromInfoDictionary(raw);
                if (info.HasV2 && !info.HasPieceLayers && ResumeTrees.PieceLayers(info, r.Trees) is { } layers)
                    info = TorrentInfo.FromInfoDictionary(raw, layers);
            }
            catch (MetainfoException e) { throw new ResumeDataException(e.Message, e); }
            if ((r.InfoHashV1 is { } v1 && !info.InfoHashes.V1Span.SequenceEqual(v1))
                || (r.InfoHashV2 is { } v2 && !info.InfoHashes.V2Span.SequenceEqual(v2)))
                throw new ResumeDataException("mismatching info-hash");
        }
        string savePath = !string.IsNullOrEmpty(savePathOverride) ? savePathOverride
            : r.SavePath.Length > 0 ? r.SavePath : Directory.GetCurrentDirectory();
        var flags = (TorrentFlags.Default & ~r.FlagsPresent) | (r.Flags & r.FlagsPresent);
        // Our all-pieces marker rode on seed mode only so libtorrent would understand the blob.
        if (r.AllPieces) flags &= ~TorrentFlags.SeedMode;
        return new AddTorrentParams
        {
            Info = info,
            SavePath = Path.GetFullPath(savePath),
            Flags = flags,
            Resume = r,
            Hashes = new InfoHashes(r.InfoHashV1, r.InfoHashV2),
        };
    }
}
