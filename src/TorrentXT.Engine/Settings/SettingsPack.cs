// SPDX-License-Identifier: MIT
using System.Globalization;

namespace TorrentXT.Engine.Settings;

/// <summary>
/// A live set of values for every registered setting, starting from libtorrent's defaults.
/// Thread-safe: writers (the API thread) serialise on a lock, readers (the engine thread) read
/// lock-free and always see either the old or the new value of a setting. Only unknown names and
/// wrong classes are refused; any value of the right class is stored as given.
/// </summary>
public sealed class SettingsPack
{
    /// <summary>The alert mask a session starts with: error | storage | tracker | status |
    /// performance_warning | dht | stats (bits 0, 3, 4, 6, 9, 10, 11).</summary>
    public const int SessionAlertMask = 3673;

    /// <summary>The user agent a session of this library announces.</summary>
    public const string DefaultUserAgent = "TorrentXT/0.1 libtorrent/2.0";

    private readonly string[] _strings;
    private readonly int[] _ints;
    private readonly bool[] _bools;
    // Set by a public setter since construction; session defaults do not count (see IsExplicitlySet).
    private readonly bool[] _explicit;
    private readonly Lock _gate = new();
    private long _version;

    /// <summary>A pack holding libtorrent 2.0.8's defaults.</summary>
    public SettingsPack()
    {
        _strings = new string[SettingsRegistry.StringCount];
        _ints = new int[SettingsRegistry.IntCount];
        _bools = new bool[SettingsRegistry.BoolCount];
        _explicit = new bool[_strings.Length + _ints.Length + _bools.Length];
        foreach (var d in SettingsRegistry.All)
        {
            switch (d.Type)
            {
                case SettingType.String: _strings[d.Index] = d.Default; break;
                case SettingType.Int: _ints[d.Index] = int.Parse(d.Default, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture); break;
                default: _bools[d.Index] = d.Default == "1"; break;
            }
        }
    }

    private SettingsPack(SettingsPack from)
    {
        _strings = (string[])from._strings.Clone();
        _ints = (int[])from._ints.Clone();
        _bools = (bool[])from._bools.Clone();
        _explicit = (bool[])from._explicit.Clone();
        _version = from._version;
    }

    /// <summary>
    /// The settings a new session starts with (contract §4.1): libtorrent's defaults plus
    /// alert_mask 3673, DHT/LSD/UPnP/NAT-PMP on, and the given user agent. These writes do not
    /// count as explicit and do not advance <see cref="Version"/>.
    /// </summary>
    public static SettingsPack CreateSessionDefaults(string userAgent = DefaultUserAgent)
    {
        ArgumentNullException.ThrowIfNull(userAgent);
        var pack = new SettingsPack();
        pack._ints[SettingsRegistry.Get(SettingIds.AlertMask).Index] = SessionAlertMask;
        pack._bools[SettingsRegistry.Get(SettingIds.EnableDht).Index] = true;
        pack._bools[SettingsRegistry.Get(SettingIds.EnableLsd).Index] = true;
        pack._bools[SettingsRegistry.Get(SettingIds.EnableUpnp).Index] = true;
        pack._bools[SettingsRegistry.Get(SettingIds.EnableNatpmp).Index] = true;
        pack._strings[SettingsRegistry.Get(SettingIds.UserAgent).Index] = userAgent;
        return pack;
    }

    /// <summary>Goes up by one on every successful set, so a reader can notice changes cheaply.</summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>
    /// Raised after every successful set, on the setting thread and outside the pack's lock, even
    /// when the new value equals the old one (setting a value is itself meaningful, see
    /// <see cref="IsExplicitlySet(int)"/>). Aliases are reported by their canonical definition.
    /// </summary>
    public event Action<SettingDefinition>? Changed;

    /// <summary>An independent copy with the same values, explicit marks and version, without subscribers.</summary>
    public SettingsPack Clone()
    {
        lock (_gate)
            return new SettingsPack(this);
    }

    /// <summary>True once a public setter has written the setting (values from construction or
    /// <see cref="CreateSessionDefaults"/> do not count).</summary>
    public bool IsExplicitlySet(int id) => Volatile.Read(ref _explicit[FlatIndex(SettingsRegistry.Get(id))]);

    public void SetInt(string name, int value) => SetInt(Resolve(name, SettingType.Int), value);
    public void SetBool(string name, bool value) => SetBool(Resolve(name, SettingType.Bool), value);
    public void SetString(string name, string value) => SetString(Resolve(name, SettingType.String), value);

    public void SetInt(int id, int value) => SetInt(Resolve(id, SettingType.Int), value);
    public void SetBool(int id, bool value) => SetBool(Resolve(id, SettingType.Bool), value);
    public void SetString(int id, string value) => SetString(Resolve(id, SettingType.String), value);

    public int GetInt(string name) => Volatile.Read(ref _ints[Resolve(name, SettingType.Int).Index]);
    public bool GetBool(string name) => Volatile.Read(ref _bools[Resolve(name, SettingType.Bool).Index]);
    public string GetString(string name) => Volatile.Read(ref _strings[Resolve(name, SettingType.String).Index]);

    public int GetInt(int id) => Volatile.Read(ref _ints[Resolve(id, SettingType.Int).Index]);
    public bool GetBool(int id) => Volatile.Read(ref _bools[Resolve(id, SettingType.Bool).Index]);
    public string GetString(int id) => Volatile.Read(ref _strings[Resolve(id, SettingType.String).Index]);

    /// <summary>
    /// The value as text, whatever the class: strings verbatim, ints as C's <c>%d</c> of the
    /// 32-bit value, bools as <c>1</c> or <c>0</c>. Throws <see cref="ArgumentException"/> for an unknown name.
    /// </summary>
    public string GetAsText(string name) =>
        SettingsRegistry.TryGet(name, out var d) ? GetAsText(d) : throw Unknown(name);

    public string GetAsText(SettingDefinition d) => d.Type switch
    {
        SettingType.String => Volatile.Read(ref _strings[d.Index]),
        SettingType.Int => Volatile.Read(ref _ints[d.Index]).ToString(CultureInfo.InvariantCulture),
        _ => Volatile.Read(ref _bools[d.Index]) ? "1" : "0",
    };

    private void SetInt(SettingDefinition d, int value)
    {
        lock (_gate)
        {
            Volatile.Write(ref _ints[d.Index], value);
            MarkSet(d);
        }
        Changed?.Invoke(d);
    }

    private void SetBool(SettingDefinition d, bool value)
    {
        lock (_gate)
        {
            Volatile.Write(ref _bools[d.Index], value);
            MarkSet(d);
        }
        Changed?.Invoke(d);
    }

    private void SetString(SettingDefinition d, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            Volatile.Write(ref _strings[d.Index], value);
            MarkSet(d);
        }
        Changed?.Invoke(d);
    }

    private void MarkSet(SettingDefinition d)
    {
        Volatile.Write(ref _explicit[FlatIndex(d)], true);
        Interlocked.Increment(ref _version);
    }

    private int FlatIndex(SettingDefinition d) => d.Type switch
    {
        SettingType.String => d.Index,
        SettingType.Int => _strings.Length + d.Index,
        _ => _strings.Length + _ints.Length + d.Index,
    };

    private static SettingDefinition Resolve(string name, SettingType type)
    {
        if (!SettingsRegistry.TryGet(name, out var d))
            throw Unknown(name);
        return d.Type == type ? d : throw WrongType(d.Name, type);
    }

    private static SettingDefinition Resolve(int id, SettingType type)
    {
        var d = SettingsRegistry.Get(id);
        return d.Type == type ? d : throw WrongType(d.Name, type);
    }

    private static ArgumentException Unknown(string? name) =>
        new($"unknown setting '{name}'", nameof(name));

    private static ArgumentException WrongType(string name, SettingType type) =>
        new($"setting '{name}' is not of type {type}", nameof(name));
}
