// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using TorrentXT.Engine.Settings;
using TorrentXT.Native.Errors;
using TorrentXT.Native.Interop;
using TorrentXT.Native.Records;

namespace TorrentXT.Native.Exports;

/// <summary>Session settings by libtorrent settings_pack name (contract §4.2).</summary>
public static unsafe class SettingsExports
{
    [UnmanagedCallersOnly(EntryPoint = "btx_set_int")]
    public static int SetInt(int s, byte* key, byte* decValue)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            if (live is null) return Fail.NoSession();
            if (!Lookup(key, out var d)) return Fail.InvalidArg(ErrorText.UnknownIntSetting);
            if (d.Type != SettingType.Int) return Fail.InvalidArg(ErrorText.NotAnIntSetting);
            if (decValue is null) return Fail.InvalidArg(ErrorText.NullValue);
            long v = CNumber.ParseInt64Saturating(decValue);
            live.Engine.Settings.SetInt(d.Name, unchecked((int)v));
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_set_bool")]
    public static int SetBool(int s, byte* key, int value)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            if (live is null) return Fail.NoSession();
            if (!Lookup(key, out var d)) return Fail.InvalidArg(ErrorText.UnknownBoolSetting);
            if (d.Type != SettingType.Bool) return Fail.InvalidArg(ErrorText.NotABoolSetting);
            live.Engine.Settings.SetBool(d.Name, value != 0);
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_set_str")]
    public static int SetStr(int s, byte* key, byte* value)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            if (live is null) return Fail.NoSession();
            if (!Lookup(key, out var d)) return Fail.InvalidArg(ErrorText.UnknownStringSetting);
            if (d.Type != SettingType.String) return Fail.InvalidArg(ErrorText.NotAStringSetting);
            live.Engine.Settings.SetString(d.Name, Utf8Z.Read(value) ?? "");
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_get_setting")]
    public static int GetSetting(int s, byte* key, byte* output, int cap)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            string? name = Utf8Z.Read(key);
            if (live is null || string.IsNullOrEmpty(name)) return 0;
            if (!SettingsRegistry.TryGet(name, out var d)) { LastError.Set(ErrorText.UnknownSetting); return 0; }
            return FlatOutput.FlatCopy(System.Text.Encoding.UTF8.GetBytes(live.Engine.Settings.GetAsText(d)), output, cap);
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_set_encryption_policy")]
    public static int SetEncryptionPolicy(int s, int inPolicy, int outPolicy, int level)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            if (live is null) return Fail.NoSession();
            // Written as given, without range checks (contract §4.2 quirk).
            live.Engine.Settings.SetInt("in_enc_policy", inPolicy);
            live.Engine.Settings.SetInt("out_enc_policy", outPolicy);
            live.Engine.Settings.SetInt("allowed_enc_level", level);
            return BtxError.Ok;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    private static bool Lookup(byte* key, out SettingDefinition definition)
    {
        string? name = Utf8Z.Read(key);
        if (string.IsNullOrEmpty(name)) { definition = null!; return false; }
        return SettingsRegistry.TryGet(name, out definition!);
    }
}
