// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Settings;

/// <summary>
/// The class of a libtorrent setting. libtorrent keeps it in the top two bits of the id:
/// 0x0000 string, 0x4000 int, 0x8000 bool (mask 0xC000).
/// </summary>
public enum SettingType
{
    String,
    Int,
    Bool,
}
