// SPDX-License-Identifier: MIT
using System.Globalization;

namespace TorrentXT.Engine.Metainfo;

/// <summary>
/// libtorrent's bdecode_node::has_soft_error: encodings bdecode tolerates but BEP 52 forbids, namely
/// leading zeros in an integer or a string length, and dictionary keys that are unsorted or repeated.
/// libtorrent rejects a torrent with 'meta version' that has any of these in its info dictionary
/// ("invalid bencoding"), because a v2 info-hash must come from canonical bencoding.
/// </summary>
internal static class BencodeSoftErrors
{
    private sealed class Frame
    {
        public bool IsDict;
        public bool ExpectKey = true;
        public int PrevKeyStart = -1;
        public int PrevKeyLength;
    }

    /// <summary>Scans one value that <see cref="Bencoding.BencodeReader"/> already accepted.</summary>
    public static bool Has(ReadOnlySpan<byte> encoded)
    {
        var stack = new Stack<Frame>();
        int pos = 0;
        do
        {
            byte c = encoded[pos];
            if (c == (byte)'e')
            {
                stack.Pop();
                pos++;
                ValueDone(stack);
            }
            else if (c == (byte)'d' || c == (byte)'l')
            {
                stack.Push(new Frame { IsDict = c == (byte)'d' });
                pos++;
            }
            else if (c == (byte)'i')
            {
                if (encoded[pos + 1] == (byte)'0' && encoded[pos + 2] != (byte)'e') return true;
                pos += encoded[pos..].IndexOf((byte)'e') + 1;
                ValueDone(stack);
            }
            else
            {
                if (c == (byte)'0' && encoded[pos + 1] != (byte)':') return true;
                int colon = pos + encoded[pos..].IndexOf((byte)':');
                int len = int.Parse(encoded[pos..colon], NumberStyles.None, CultureInfo.InvariantCulture);
                int start = colon + 1;
                pos = start + len;
                if (stack.TryPeek(out var top) && top.IsDict && top.ExpectKey)
                {
                    if (top.PrevKeyStart >= 0
                        && encoded.Slice(top.PrevKeyStart, top.PrevKeyLength).SequenceCompareTo(encoded.Slice(start, len)) >= 0)
                        return true; // > 0: unsorted key; == 0: duplicate key
                    top.PrevKeyStart = start;
                    top.PrevKeyLength = len;
                    top.ExpectKey = false;
                }
                else ValueDone(stack);
            }
        }
        while (stack.Count > 0);
        return false;
    }

    private static void ValueDone(Stack<Frame> stack)
    {
        if (stack.TryPeek(out var parent) && parent.IsDict) parent.ExpectKey = true;
    }
}
