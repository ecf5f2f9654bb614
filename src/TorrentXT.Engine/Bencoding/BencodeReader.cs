// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Bencoding;

/// <summary>
/// A strict bencode decoder over a memory block. Iterative (no recursion, so hostile nesting
/// cannot overflow the stack), bounded by <see cref="BencodeLimits"/>. Trailing bytes after the
/// first complete value are ignored, as libtorrent does.
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
            if (++tokens > limits.MaxTokens) throw new BencodeException(BencodeError.LimitExceeded, pos);
            byte c = span[pos];
            BValue? value = null;
            ReadOnlyMemory<byte>? key = null;

            if (c == (byte)'e')
            {
                if (stack.Count == 0) throw new BencodeException(BencodeError.ExpectedValue, pos);
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
                if (stack.Count + 1 > limits.MaxDepth) throw new BencodeException(BencodeError.DepthExceeded, pos);
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
        bool negative = false;
        if (pos < span.Length && span[pos] == (byte)'-') { negative = true; pos++; }
        int digits = 0;
        long value = 0;
        while (true)
        {
            if (pos >= span.Length) throw new BencodeException(BencodeError.UnexpectedEof, pos);
            byte c = span[pos];
            if (c == (byte)'e') break;
            if (c < (byte)'0' || c > (byte)'9') throw new BencodeException(BencodeError.ExpectedDigit, pos);
            int d = c - '0';
            if (value > (long.MaxValue - d) / 10) throw new BencodeException(BencodeError.Overflow, pos);
            value = value * 10 + d;
            digits++;
            pos++;
        }
        if (digits == 0) throw new BencodeException(BencodeError.ExpectedDigit, pos);
        pos++; // 'e'
        return negative ? -value : value;
    }

    private static ReadOnlyMemory<byte> ReadString(ReadOnlyMemory<byte> data, ref int pos)
    {
        var span = data.Span;
        long len = 0;
        int digits = 0;
        while (true)
        {
            if (pos >= span.Length) throw new BencodeException(BencodeError.UnexpectedEof, pos);
            byte c = span[pos];
            if (c == (byte)':') break;
            if (c < (byte)'0' || c > (byte)'9') throw new BencodeException(BencodeError.ExpectedColon, pos);
            len = len * 10 + (c - '0');
            if (len > int.MaxValue) throw new BencodeException(BencodeError.Overflow, pos);
            digits++;
            pos++;
        }
        if (digits == 0) throw new BencodeException(BencodeError.ExpectedDigit, pos);
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
