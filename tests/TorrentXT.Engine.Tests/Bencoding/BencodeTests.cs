// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Engine.Bencoding;
using Xunit;

namespace TorrentXT.Engine.Tests.Bencoding;

public class BencodeTests
{
    private static BValue Decode(string s) => BencodeReader.Decode(Encoding.Latin1.GetBytes(s));

    private static BencodeError ErrorOf(string s) => Assert.Throws<BencodeException>(() => Decode(s)).Error;

    [Fact]
    public void Decodes_every_kind_and_keeps_the_exact_bytes_of_each_value()
    {
        var v = Decode("d4:infod6:lengthi20e4:name1:ae4:listli-3e0:ee");
        Assert.True(v.IsDictionary);
        var info = v["info"]!;
        Assert.Equal("d6:lengthi20e4:name1:ae", Encoding.Latin1.GetString(info.Raw.Span));
        Assert.Equal(20, info.GetInteger("length"));
        Assert.Equal("a", info["name"]!.Text);
        Assert.Equal(-3, v["list"]!.Items[0].Integer);
        Assert.Equal(0, v["list"]!.Items[1].Bytes.Length);
    }

    [Fact]
    public void Strings_are_slices_of_the_input_not_copies()
    {
        var data = Encoding.ASCII.GetBytes("5:hello");
        var v = BencodeReader.Decode(data);
        data[2] = (byte)'J';
        Assert.Equal("Jello", v.Text);
    }

    [Fact]
    public void Trailing_bytes_after_the_first_value_are_ignored_and_counted()
    {
        BencodeReader.Decode(Encoding.ASCII.GetBytes("i1egarbage"), BencodeLimits.Default, out int consumed);
        Assert.Equal(3, consumed);
    }

    [Theory]
    [InlineData("", BencodeError.UnexpectedEof)]
    [InlineData("i12", BencodeError.UnexpectedEof)]
    [InlineData("5:abc", BencodeError.UnexpectedEof)]
    [InlineData("d3:key", BencodeError.UnexpectedEof)]
    [InlineData("x", BencodeError.ExpectedValue)]
    [InlineData("ie", BencodeError.ExpectedDigit)]
    [InlineData("i1x2e", BencodeError.ExpectedDigit)]
    [InlineData("di1ei2ee", BencodeError.ExpectedDigit)]   // dictionary keys must be strings
    [InlineData("i123456789012345678901234e", BencodeError.Overflow)]
    public void Malformed_input_gets_a_typed_error_with_libtorrents_wording(string input, BencodeError expected)
    {
        Assert.Equal(expected, ErrorOf(input));
        Assert.False(string.IsNullOrEmpty(BencodeException.MessageFor(expected)));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_without_recursion()
    {
        string deep = new string('l', 100_000) + new string('e', 100_000);
        Assert.Equal(BencodeError.DepthExceeded, ErrorOf(deep));
        var shallow = BencodeReader.Decode(Encoding.ASCII.GetBytes(new string('l', 50) + new string('e', 50)));
        Assert.True(shallow.IsList);
    }

    [Fact]
    public void The_token_limit_bounds_work_on_huge_flat_lists()
    {
        var data = Encoding.ASCII.GetBytes("l" + string.Concat(Enumerable.Repeat("i1e", 1000)) + "e");
        Assert.Throws<BencodeException>(() => BencodeReader.Decode(data, new BencodeLimits(100, 500)));
        Assert.Equal(1000, BencodeReader.Decode(data).Items.Count);
    }

    [Fact]
    public void The_writer_sorts_dictionary_keys_by_raw_bytes_and_round_trips()
    {
        var d = new BDict { ["b"] = 2L, ["a"] = "x", ["B"] = new BList { 1L, "y" } };
        byte[] encoded = BencodeWriter.Encode(d);
        Assert.Equal("d1:Bli1e1:ye1:a1:x1:bi2ee", Encoding.ASCII.GetString(encoded));
        var back = BencodeReader.Decode(encoded);
        Assert.Equal(2, back.GetInteger("b"));
        Assert.Equal(encoded, back.Raw.ToArray());
    }

    [Fact]
    public void Negative_and_extreme_integers_round_trip()
    {
        foreach (long v in new[] { 0L, -1L, long.MaxValue, long.MinValue + 1 })
            Assert.Equal(v, BencodeReader.Decode(BencodeWriter.Encode(new BInt(v))).Integer);
    }
}
