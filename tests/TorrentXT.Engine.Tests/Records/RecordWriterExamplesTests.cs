// SPDX-License-Identifier: MIT
using TorrentXT.Native.Records;
using Xunit;

namespace TorrentXT.Engine.Tests.Records;

/// <summary>The worked byte examples of contract §3.6, byte for byte.</summary>
public class RecordWriterExamplesTests
{
    private const byte Sentinel = 0xEE;

    internal static readonly byte[] ExampleA = Bytes.Of("00 02  02 00 00 01 33  03 01 00 04 30 2e 32 35");

    internal static readonly byte[] ExampleD = Bytes.Of(
        "00 01 00 34 00 06" +
        "28 02 00 0e 31 30 2e 30 2e 30 2e 32 3a 35 31 34 31 33" +
        "29 02 00 02 71 42" +
        "2a 00 00 04 31 30 30 30" +
        "2b 00 00 01 30" +
        "2c 01 00 03 30 2e 35" +
        "2d 00 00 02 33 33");

    internal static readonly byte[] ExampleG = Bytes.Of("00 04  64 00 00 01 30  65 00 00 01 30  66 00 00 01 30  67 00 00 01 30");

    internal static readonly byte[] ExampleH = Bytes.Of(
        "00 01  00 29  00 04" +
        "78 02 00 07 64 2f 61 2e 62 69 6e" +
        "79 00 00 0a 35 30 30 30 30 30 30 30 30 30" +
        "7a 00 00 05 31 36 33 38 34" +
        "7b 00 00 01 34");

    internal static void WriteA(ref RecordWriter w)
    {
        w.BeginRecord();
        w.Int(2, 3);       // F_STATE
        w.Real(3, 0.25);   // F_PROGRESS
        w.EndRecord();
    }

    internal static void WriteD(ref RecordWriter w)
    {
        w.BeginList();
        Assert.True(w.TryBeginEntry());
        w.Utf8(40, "10.0.0.2:51413");
        w.Utf8(41, "qB"u8);
        w.Int(42, 1000);
        w.Int(43, 0);
        w.Real(44, 0.5);
        w.Int(45, 33);
        w.EndEntry();
        w.EndList();
    }

    internal static void WriteG(ref RecordWriter w)
    {
        w.BeginRecord();
        for (byte id = 100; id <= 103; id++)
            w.Int(id, 0);
        w.EndRecord();
    }

    internal static void WriteH(ref RecordWriter w)
    {
        w.BeginList();
        Assert.True(w.TryBeginEntry());
        w.Utf8(120, "d/a.bin");
        w.Int(121, 5_000_000_000);
        w.Int(122, 16384);
        w.Int(123, 4);
        w.EndEntry();
        w.EndList();
    }

    [Fact]
    public void Example_A_a_two_field_status_record_is_15_bytes()
    {
        var buffer = new byte[64];
        var w = new RecordWriter(buffer);
        WriteA(ref w);
        Assert.Equal(15, w.Finish());
        Assert.Equal(ExampleA, buffer[..15]);
    }

    [Fact]
    public void Example_A_with_cap_10_returns_minus_15_and_leaves_the_9_byte_prefix()
    {
        var buffer = Filled(16);
        var w = new RecordWriter(buffer.AsSpan(0, 10));
        WriteA(ref w);
        Assert.Equal(-15, w.Finish());
        Assert.Equal(Bytes.Of("00 02 02 00 00 01 33 03 01"), buffer[..9]);
        Assert.All(buffer[9..], b => Assert.Equal(Sentinel, b)); // byte 9 untouched: the len u16 did not fit
    }

    [Fact]
    public void Example_D_a_peer_list_with_one_peer_is_56_bytes()
    {
        var buffer = new byte[100];
        var w = new RecordWriter(buffer);
        WriteD(ref w);
        Assert.Equal(56, w.Finish());
        Assert.Equal(ExampleD, buffer[..56]);
    }

    [Fact]
    public void Example_G_dht_state_after_startup_is_22_bytes()
    {
        var buffer = new byte[22];
        var w = new RecordWriter(buffer);
        WriteG(ref w);
        Assert.Equal(22, w.Finish());
        Assert.Equal(ExampleG, buffer);
    }

    [Fact]
    public void Example_H_a_file_list_with_one_5GB_file_is_45_bytes()
    {
        var buffer = new byte[45];
        var w = new RecordWriter(buffer);
        WriteH(ref w);
        Assert.Equal(45, w.Finish());
        Assert.Equal(ExampleH, buffer);
    }

    public delegate void Producer(ref RecordWriter w);

    public static TheoryData<string> Examples => ["A", "D", "G", "H"];

    [Theory]
    [MemberData(nameof(Examples))]
    public unsafe void Every_capacity_gets_the_whole_primitive_prefix_and_not_one_byte_past_it(string example)
    {
        var (expected, produce, boundaries) = Case(example);
        for (int cap = -1; cap <= expected.Length + 2; cap++)
        {
            var buffer = Filled(expected.Length + 8);
            int result;
            fixed (byte* p = buffer)
            {
                var w = new RecordWriter(p, cap);
                produce(ref w);
                result = w.Finish();
            }
            int effective = Math.Max(cap, 0);
            Assert.Equal(expected.Length <= effective ? expected.Length : -expected.Length, result);
            int prefix = boundaries.Where(b => b <= effective).Max();
            Assert.Equal(expected[..prefix], buffer[..prefix]);
            Assert.All(buffer[prefix..], b => Assert.Equal(Sentinel, b));
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public unsafe void A_null_output_is_capacity_0_and_measures(string example)
    {
        var (expected, produce, _) = Case(example);
        var w = new RecordWriter(null, 1000);
        produce(ref w);
        Assert.Equal(0, w.Capacity);
        Assert.Equal(-expected.Length, w.Finish());
    }

    private static (byte[] Expected, Producer Produce, int[] Boundaries) Case(string example) => example switch
    {
        "A" => (ExampleA, WriteA, Boundaries(ExampleA, listFraming: false)),
        "D" => (ExampleD, WriteD, Boundaries(ExampleD, listFraming: true)),
        "G" => (ExampleG, WriteG, Boundaries(ExampleG, listFraming: false)),
        _ => (ExampleH, WriteH, Boundaries(ExampleH, listFraming: true)),
    };

    /// <summary>
    /// Where each primitive of a record (or a one-entry list) ends, walked independently of the
    /// writer: count u16, [bodyLen u16, count u16], then per field u8 id, u8 type, u16 len, value.
    /// </summary>
    private static int[] Boundaries(byte[] bytes, bool listFraming)
    {
        var ends = new List<int> { 0, 2 };
        int pos = 2;
        if (listFraming)
        {
            ends.Add(pos += 2);
            ends.Add(pos += 2);
        }
        int fields = bytes[pos - 2] << 8 | bytes[pos - 1];
        for (int i = 0; i < fields; i++)
        {
            ends.Add(pos += 1);
            ends.Add(pos += 1);
            int len = bytes[pos] << 8 | bytes[pos + 1];
            ends.Add(pos += 2);
            ends.Add(pos += len);
        }
        Assert.Equal(bytes.Length, pos);
        return ends.ToArray();
    }

    private static byte[] Filled(int length)
    {
        var buffer = new byte[length];
        buffer.AsSpan().Fill(Sentinel);
        return buffer;
    }
}
