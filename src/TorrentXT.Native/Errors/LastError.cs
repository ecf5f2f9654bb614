// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Native.Records;

namespace TorrentXT.Native.Errors;

/// <summary>
/// The process-global last-error byte string (contract §1.7). It starts empty, only failures set
/// it, and only <see cref="Clear"/> empties it. Each value is an immutable array swapped in whole,
/// so concurrent callers never see a torn string.
/// </summary>
public static class LastError
{
    private static byte[] s_text = [];

    /// <summary>The current text's bytes (an immutable snapshot).</summary>
    public static ReadOnlySpan<byte> Current => Volatile.Read(ref s_text);

    /// <summary>The current text as a string (tests and diagnostics).</summary>
    public static string Text => Encoding.UTF8.GetString(Current);

    /// <summary>A private copy of the current bytes.</summary>
    public static byte[] Get() => Current.ToArray();

    public static void Set(string text) => Volatile.Write(ref s_text, Encoding.UTF8.GetBytes(text));

    public static void Set(ReadOnlySpan<byte> utf8) => Volatile.Write(ref s_text, utf8.ToArray());

    /// <summary>Sets <paramref name="prefix"/> followed by <paramref name="message"/> (the "…: &lt;m&gt;" texts).</summary>
    public static void Set(string prefix, string? message) => Set(string.Concat(prefix, message));

    public static void Clear() => Volatile.Write(ref s_text, []);

    /// <summary><c>btx_last_error</c>: the flat getter rule of §1.5(a) over the current text.</summary>
    public static unsafe int CopyTo(byte* output, int capacity) => FlatOutput.FlatCopy(Current, output, capacity);
}
