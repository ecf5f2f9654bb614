// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;

namespace TorrentXT.Native.Interop;

/// <summary>
/// <c>btx_pop_alerts</c>: stash first, then every pending engine alert, each entry written whole
/// or stashed, never more than 65,535 records per call (contract §3.5 and §9.0 D11).
/// </summary>
internal static class AlertDrain
{
    private const int MaxRecordsPerCall = 65535;

    public static unsafe int Drain(LiveSession session, byte* output, int cap)
    {
        if (output is null || cap < 0) cap = 0;
        lock (session.Stash)
        {
            session.Engine.RequestStats();
            if (cap >= 2) { output[0] = 0; output[1] = 0; }
            int pos = 2, written = 0;
            var stash = session.Stash;

            while (!stash.IsEmpty && written < MaxRecordsPerCall && pos + stash.Peek().Length <= cap)
            {
                var entry = stash.Dequeue();
                entry.CopyTo(new Span<byte>(output + pos, entry.Length));
                pos += entry.Length;
                written++;
            }
            if (stash.IsEmpty)
            {
                var pending = new List<Alert>();
                session.Engine.Alerts.DrainTo(pending);
                foreach (var alert in pending)
                {
                    var entry = AlertEncoder.Encode(session, alert);
                    if (entry is null) continue;
                    if (stash.IsEmpty && written < MaxRecordsPerCall && pos + entry.Length <= cap)
                    {
                        entry.CopyTo(new Span<byte>(output + pos, entry.Length));
                        pos += entry.Length;
                        written++;
                    }
                    else stash.Enqueue(entry);
                }
            }
            if (cap >= 2) { output[0] = (byte)(written >> 8); output[1] = (byte)written; }
            if (written == 0 && !stash.IsEmpty) return -(2 + stash.Peek().Length);
            return written;
        }
    }
}
