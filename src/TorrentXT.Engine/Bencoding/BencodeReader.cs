// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Bencoding;

/// <summary>
/// A strict bencode decoder over a memory block. Iterative (no recursion, so hostile nesting
/// cannot overflow the stack), bounded by <see cref="BencodeLimits"/>. Trailing bytes after the
/// first complete value are ignored, as libtorrent does. Error choice follows libtorrent's bdecode:
/// the depth limit is checked before every token (so at most MaxDepth - 1 containers may be open
/// while a token is read: 99 nested containers load, 100 do not), an integer of more than 20 digits
/// is an overflow while a shorter one that does not fit in 64 bits reads as 0 (bdecode_node's
/// int_value), and string lengths are parsed as 64-bit numbers before the buffer check.
/// </summary>
public static class BencodeReader
{
    public static BValue Decode(ReadOnlyMemory<byte> data) => Decode(data, BencodeLimits.Default, out _);

    public static BValue Decode(ReadOnlyMemory<byte> data, BencodeLimits limits) => Decode(data, limits, out _);

    /// <summary>Decodes the first value in <paramref name="data"/>; <paramref name="consumed"/> is its length.</summary>
    public static BValue Decode(ReadOnlyMemory<byte> data, BencodeLimits limits, out int consumed)
    {
        var span = data.Span;
        int pos = 0, tokens = 0;
        // Open containers: list items or dictionary entries being collected, with their start offsets.
        var stack = new Stack<Frame>();
        BValue? done = null;
        while (done is null)
        {
            if (pos >= span.Length) throw new BencodeException(BencodeError.UnexpectedEof, pos);
            if (stack.Count >= limits.MaxDepth) throw new BencodeException(BencodeError.DepthExceeded, pos);
            if (++tokens > limits.MaxTokens) throw new BencodeException(BencodeError.LimitExceeded, pos);
            byte c = span[pos];
            BValue? value = null;
            ReadOnlyMemory<byte>? key = null;

            if (c == (byte)'e')
            {
                if (stack.Count == 0) throw new BencodeException(BencodeError.UnexpectedEof, pos);
                var top = stack.Peek();
                if (top.PendingKey is not null) throw new BencodeException(BencodeError.ExpectedValue, pos);
                stack.Pop();
                pos++;
                value = top.IsDict ? new BValue(top.Entries!) : new BValue(top.Items!);
                value.Raw = data[top.Start..pos];
            }
            else if (stack.Count > 0 && stack.Peek().IsDict && stack.Peek().PendingKey is null)
            {
                // A dictionary key must be a string.
                if (c < (byte)'0' || c > (byte)'9') throw new BencodeException(BencodeError.ExpectedDigit, pos);
                key = ReadString(data, ref pos);
            }
            else if (c == (byte)'i')
            {
                int start = pos;
                value = new BValue(ReadInteger(span, ref pos));
                value.Raw = data[start..pos];
            }
            else if (c >= (byte)'0' && c <= (byte)'9')
            {
                int start = pos;
                value = new BValue(ReadString(data, ref pos));
                value.Raw = data[start..pos];
            }
            else if (c == (byte)'l' || c == (byte)'d')
            {
                stack.Push(c == (byte)'d' ? Frame.Dict(pos) : Frame.List(pos));
                pos++;
                continue;
            }
            else throw new BencodeException(BencodeError.ExpectedValue, pos);

            if (key is not null)
            {
                stack.Peek().PendingKey = key;
                continue;
            }
            if (stack.Count == 0) { done = value; break; }
            var parent = stack.Peek();
            if (parent.IsDict)
            {
                parent.Entries!.Add(new(parent.PendingKey!.Value, value!));
                parent.PendingKey = null;
            }
            else parent.Items!.Add(value!);
        }
        consumed = pos;
        return done!;
    }

    private static long ReadInteger(ReadOnlySpan<byte> span, ref int pos)
    {
        pos++; // 'i'
        if (pos >= span.Length) throw new BencodeException(BencodeError.UnexpectedEof, pos);
        bool negative = false;
        if (span[pos] == (byte)'-')
        {
            negative = true;
            pos++;
            if (pos >= span.Length) throw new BencodeException(BencodeError.UnexpectedEof, pos);
        }
        int first = pos, digits = 0;
        BencodeError? error = null;
        do
        {
            if (span[pos] < (byte)'0' || span[pos] > (byte)'9') { error = BencodeError.ExpectedDigit; break; }
            pos++;
            digits++;
            if (pos >= span.Length) { error = BencodeError.UnexpectedEof; break; }
        }
        while (span[pos] != (byte)'e');
        // libtorrent reports any run of more than 20 digits as an overflow, whatever stopped it.
        if (digits > 20) error = BencodeError.Overflow;
        if (error is { } e) throw new BencodeException(e, pos);
        long value = 0;
        for (int i = first; i < pos; i++)
        {
            int d = span[i] - '0';
            if (value > (long.MaxValue - d) / 10) { value = 0; break; } // int_value() yields 0 on overflow
            value = value * 10 + d;
        }
        pos++; // 'e'
        return negative ? -value : value;
    }

    private static ReadOnlyMemory<byte> ReadString(ReadOnlyMemory<byte> data, ref int pos)
    {
        var span = data.Span;
        long len = span[pos] - '0'; // the caller saw a digit here
        pos++;
        if (pos >= span.Length) throw new BencodeException(BencodeError.UnexpectedEof, pos);
        while (pos < span.Length && span[pos] != (byte)':')
        {
            byte c = span[pos];
            if (c < (byte)'0' || c > (byte)'9') throw new BencodeException(BencodeError.ExpectedDigit, pos);
            if (len > long.MaxValue / 10) throw new BencodeException(BencodeError.Overflow, pos);
            len *= 10;
            if (len > long.MaxValue - (c - '0')) throw new BencodeException(BencodeError.Overflow, pos);
            len += c - '0';
            pos++;
        }
        if (pos >= span.Length) throw new BencodeException(BencodeError.ExpectedColon, pos);
        pos++; // ':'
        if (len > span.Length - pos) throw new BencodeException(BencodeError.UnexpectedEof, pos);
        var result = data.Slice(pos, (int)len);
        pos += (int)len;
        return result;
    }

    private sealed class Frame
    {
        public int Start;
        public bool IsDict;
        public List<BValue>? Items;
        public List<KeyValuePair<ReadOnlyMemory<byte>, BValue>>? Entries;
        public ReadOnlyMemory<byte>? PendingKey;

        public static Frame List(int start) => new() { Start = start, Items = new() };
        public static Frame Dict(int start) => new() { Start = start, IsDict = true, Entries = new() };
    }
}
