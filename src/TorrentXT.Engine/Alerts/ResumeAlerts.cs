// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Torrents;

namespace TorrentXT.Engine.Alerts;

/// <summary>save_resume_data finished: <see cref="Blob"/> is the bencoded resume data (possibly over the ABI's cap).</summary>
public sealed record ResumeDataReadyAlert(Torrent Torrent, byte[] Blob) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Storage;
}

/// <summary>save_resume_data could not produce a blob.</summary>
public sealed record ResumeDataFailedAlert(Torrent Torrent, int ErrorCode, string ErrorMessage) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Storage | AlertCategory.Error;
}

/// <summary>The resume data did not match the files on disk; a full check follows.</summary>
public sealed record FastresumeRejectedAlert(Torrent Torrent, int ErrorCode, string ErrorMessage, string Operation, string Path) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Status | AlertCategory.Error;
}

/// <summary>move_storage finished: the files now live under <see cref="NewPath"/>.</summary>
public sealed record StorageMovedAlert(Torrent Torrent, string OldPath, string NewPath) : Alert(Torrent)
{
    public override AlertCategory Category => AlertCategory.Storage;
}
