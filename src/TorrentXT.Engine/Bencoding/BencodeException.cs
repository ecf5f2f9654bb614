// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Bencoding;

/// <summary>Why a bencoded buffer was rejected. Messages follow libtorrent's bdecode wording.</summary>
public enum BencodeError
{
    ExpectedDigit = 1,
    ExpectedColon = 2,
    UnexpectedEof = 3,
    ExpectedValue = 4,
    DepthExceeded = 5,
    LimitExceeded = 6,
    Overflow = 7,
}

public sealed class BencodeException : Exception
{
    public BencodeError Error { get; }
    public int Offset { get; }

    public BencodeException(BencodeError error, int offset) : base(MessageFor(error))
    {
        Error = error;
        Offset = offset;
    }

    public static string MessageFor(BencodeError error) => error switch
    {
        BencodeError.ExpectedDigit => "expected digit in bencoded string",
        BencodeError.ExpectedColon => "expected colon in bencoded string",
        BencodeError.UnexpectedEof => "unexpected end of file in bencoded string",
        BencodeError.ExpectedValue => "expected value (list, dict, int or string) in bencoded string",
        BencodeError.DepthExceeded => "bencoded nesting depth exceeded",
        BencodeError.LimitExceeded => "bencoded item count limit exceeded",
        BencodeError.Overflow => "integer overflow",
        _ => "invalid bencoding",
    };
}
