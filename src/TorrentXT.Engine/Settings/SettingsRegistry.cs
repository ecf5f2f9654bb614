// SPDX-License-Identifier: MIT
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace TorrentXT.Engine.Settings;

/// <summary>
/// The typed registry of every libtorrent 2.0.8 <c>settings_pack</c> name (generated from
/// vectors/settings.tsv into SettingsTable.g.cs). It knows names, ids, classes and defaults;
/// it does not validate values, which is the engine's business.
/// </summary>
public static class SettingsRegistry
{
    public const int ClassMask = 0xC000;
    public const int StringClass = 0x0000;
    public const int IntClass = 0x4000;
    public const int BoolClass = 0x8000;
    public const int IndexMask = 0x3FFF;

    private static readonly SettingDefinition[] s_strings = ByClass(SettingType.String);
    private static readonly SettingDefinition[] s_ints = ByClass(SettingType.Int);
    private static readonly SettingDefinition[] s_bools = ByClass(SettingType.Bool);
    private static readonly FrozenDictionary<string, SettingDefinition> s_byName = BuildNameIndex();

    /// <summary>Every canonical name in ascending id order (aliases are not listed twice).</summary>
    public static IReadOnlyList<SettingDefinition> All { get; } = Array.AsReadOnly(SettingsTable.Definitions);

    internal static int StringCount => s_strings.Length;
    internal static int IntCount => s_ints.Length;
    internal static int BoolCount => s_bools.Length;

    /// <summary>
    /// Looks a name up. An alias (libtorrent accepts <c>peer_tos</c> for <c>peer_dscp</c>)
    /// resolves to its canonical definition, so <c>d.Name</c> can differ from <paramref name="name"/>.
    /// A null or empty name is simply unknown.
    /// </summary>
    public static bool TryGet(string? name, [NotNullWhen(true)] out SettingDefinition? d)
    {
        if (name is null)
        {
            d = null;
            return false;
        }
        return s_byName.TryGetValue(name, out d);
    }

    /// <summary>Looks a libtorrent id up.</summary>
    public static bool TryGet(int id, [NotNullWhen(true)] out SettingDefinition? d)
    {
        var table = (id & ~(ClassMask | IndexMask)) != 0 ? null : (id & ClassMask) switch
        {
            StringClass => s_strings,
            IntClass => s_ints,
            BoolClass => s_bools,
            _ => null,
        };
        int index = id & IndexMask;
        if (table is null || index >= table.Length)
        {
            d = null;
            return false;
        }
        d = table[index];
        return true;
    }

    /// <summary>The definition of an id; throws <see cref="ArgumentException"/> for an unknown id.</summary>
    public static SettingDefinition Get(int id) =>
        TryGet(id, out var d) ? d : throw new ArgumentException($"unknown setting id 0x{id:x4}", nameof(id));

    private static SettingDefinition[] ByClass(SettingType type)
    {
        // The generator guarantees each class's indices run 0..n-1 without gaps.
        var list = new List<SettingDefinition>();
        foreach (var d in SettingsTable.Definitions)
        {
            if (d.Type == type)
                list.Add(d);
        }
        list.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return list.ToArray();
    }

    private static FrozenDictionary<string, SettingDefinition> BuildNameIndex()
    {
        var map = new Dictionary<string, SettingDefinition>(SettingsTable.Definitions.Length + SettingsTable.Aliases.Length, StringComparer.Ordinal);
        foreach (var d in SettingsTable.Definitions)
            map.Add(d.Name, d);
        foreach (var (alias, id) in SettingsTable.Aliases)
            map.Add(alias, Get(id));
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
