// SPDX-License-Identifier: MIT
namespace TorrentXT.Native.Records;

/// <summary>The flat byte getter rule of contract §1.5(a).</summary>
public static class FlatOutput
{
    /// <summary>
    /// Copies the whole of <paramref name="result"/> if and only if <paramref name="output"/> is
    /// not null and the result fits in <paramref name="capacity"/>; otherwise writes nothing.
    /// Returns <c>need</c> when <c>need &lt;= max(cap, 0)</c>, else <c>-need</c>; 0 for an empty result.
    /// Original quirk kept: a null output with enough capacity returns +need although nothing was written.
    /// </summary>
    public static unsafe int FlatCopy(ReadOnlySpan<byte> result, byte* output, int capacity)
    {
        int need = result.Length;
        if (need == 0)
            return 0;
        if (need > Math.Max(capacity, 0))
            return -need;
        if (output != null)
            result.CopyTo(new Span<byte>(output, need));
        return need;
    }
}
