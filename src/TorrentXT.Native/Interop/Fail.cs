// SPDX-License-Identifier: MIT
using TorrentXT.Native.Errors;

namespace TorrentXT.Native.Interop;

/// <summary>The contract's failure returns: set the last-error text, return the code.</summary>
internal static class Fail
{
    public static int NoSession() => With(BtxError.NoSession, ErrorText.NoLiveSession);
    public static int BadTorrent() => With(BtxError.BadHandle, ErrorText.BadTorrentHandle);
    public static int InvalidArg(string text) => With(BtxError.InvalidArg, text);

    /// <summary>A function whose behaviour a later part of the engine provides (honest, not silent).</summary>
    public static int NotYet(string what) => With(BtxError.Generic, what);

    public static int With(int code, string text)
    {
        LastError.Set(text);
        return code;
    }

    /// <summary>For int getters: 0 with a text.</summary>
    public static int Zero(string text)
    {
        LastError.Set(text);
        return 0;
    }
}
