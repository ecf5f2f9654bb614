// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using System.Text;

namespace TorrentXT.Native.Records;

/// <summary>NUL-terminated UTF-8 strings handed in by C callers.</summary>
public static class Utf8Z
{
    /// <summary>The string at <paramref name="text"/>, or null for a null pointer. Invalid UTF-8 becomes U+FFFD.</summary>
    public static unsafe string? Read(byte* text) =>
        text == null ? null : Encoding.UTF8.GetString(Span(text));

    /// <summary>The bytes before the NUL, without copying; empty for a null pointer.</summary>
    public static unsafe ReadOnlySpan<byte> Span(byte* text) =>
        text == null ? default : MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text);

    /// <summary>True for a null pointer or an empty string (the "required string" check of §1.2).</summary>
    public static unsafe bool IsNullOrEmpty(byte* text) => text == null || *text == 0;
}
