// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using TorrentXT.Engine;
using TorrentXT.Engine.Settings;
using TorrentXT.Native.Errors;
using TorrentXT.Native.Interop;
using TorrentXT.Native.Records;

namespace TorrentXT.Native.Exports;

/// <summary>Lifecycle and diagnostics (contract §4.1).</summary>
public static unsafe class LifecycleExports
{
    public const int AbiVersion = 8;
    /// <summary>The user agent the contract fixes for compatibility (§4.1).</summary>
    public const string UserAgent = "TorrentXT/0.1 libtorrent/2.0";

    [UnmanagedCallersOnly(EntryPoint = "btx_abi_version")]
    public static int AbiVersionExport() => AbiVersion;

    [UnmanagedCallersOnly(EntryPoint = "btx_session_new")]
    public static int SessionNew()
    {
        try
        {
            var live = LiveSession.Open(() => new Session(SettingsPack.CreateSessionDefaults(UserAgent)), out string? error);
            if (live is null) { LastError.Set(error!); return 0; }
            return live.Handle;
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_session_free")]
    public static void SessionFree(int s)
    {
        try { LiveSession.Free(s); }
        catch (Exception e) { Firewall.VoidFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_last_error")]
    public static int LastErrorExport(byte* output, int cap)
    {
        try { return FlatOutput.FlatCopy(LastError.Get(), output, cap); }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_clear_error")]
    public static void ClearError()
    {
        try { LastError.Clear(); }
        catch (Exception e) { Firewall.VoidFailed(e); }
    }
}
