// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Resume;

/// <summary>A resume blob that cannot be used; the message is libtorrent's wording where it has one.</summary>
public sealed class ResumeDataException(string message, Exception? inner = null) : Exception(message, inner);
