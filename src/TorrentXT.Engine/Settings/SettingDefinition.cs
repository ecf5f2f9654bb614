// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Settings;

/// <summary>
/// One libtorrent <c>settings_pack</c> name with its id, class and libtorrent 2.0.8 default.
/// </summary>
/// <param name="Name">The settings_pack name, for example <c>alert_mask</c>.</param>
/// <param name="Id">libtorrent's id for the name (class bits | index).</param>
/// <param name="Type">The class; a setter of another class is refused.</param>
/// <param name="Default">
/// The default exactly as <see cref="SettingsPack.GetAsText(string)"/> reports it on a fresh pack:
/// strings verbatim, ints in decimal, bools as <c>1</c>/<c>0</c>.
/// </param>
/// <param name="Deprecated">
/// True for names libtorrent marks deprecated. They still exist: the reference build was compiled
/// with deprecated functions on, so they can be set and read like any other.
/// </param>
public sealed record SettingDefinition(string Name, int Id, SettingType Type, string Default, bool Deprecated)
{
    /// <summary>The position of the setting inside its class (the id without its class bits).</summary>
    public int Index => Id & SettingsRegistry.IndexMask;
}
