// SPDX-License-Identifier: MIT
namespace TorrentXT.Native.Errors;

/// <summary>The <c>BTX_*</c> status codes of the action family (contract §1.6).</summary>
public static class BtxError
{
    /// <summary><c>BTX_OK</c>: success.</summary>
    public const int Ok = 0;

    /// <summary><c>BTX_ERR_GENERIC</c>: never returned by the original.</summary>
    public const int Generic = -1;

    /// <summary><c>BTX_ERR_BAD_HANDLE</c>: a torrent handle (or btx_remove's pair) is not live.</summary>
    public const int BadHandle = -2;

    /// <summary><c>BTX_ERR_INVALID_ARG</c>: NULL, empty, malformed or out-of-range argument.</summary>
    public const int InvalidArg = -3;

    /// <summary><c>BTX_ERR_SESSION_LIVE</c>: never returned (a refused session returns 0).</summary>
    public const int SessionLive = -4;

    /// <summary><c>BTX_ERR_NO_SESSION</c>: the session handle is not live.</summary>
    public const int NoSession = -5;

    /// <summary><c>BTX_ERR_EXCEPTION</c>: an internal failure caught by the firewall.</summary>
    public const int Exception = -6;

    /// <summary><c>BTX_ERR_ABI</c>: reserved.</summary>
    public const int Abi = -7;
}
