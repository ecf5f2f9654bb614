// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using TorrentXT.Native.Errors;
using TorrentXT.Native.Interop;

namespace TorrentXT.Native.Exports;

/// <summary>The alert drain (contract §3.5, §4.10).</summary>
public static unsafe class AlertExports
{
    [UnmanagedCallersOnly(EntryPoint = "btx_pop_alerts")]
    public static int PopAlerts(int s, void* output, int cap)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            return live is null ? 0 : AlertDrain.Drain(live, (byte*)output, cap);
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }
}
