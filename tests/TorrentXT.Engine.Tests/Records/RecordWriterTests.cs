// SPDX-License-Identifier: MIT
using System.Text;
using TorrentXT.Native.Records;
using Xunit;

namespace TorrentXT.Engine.Tests.Records;

/// <summary>Measure-or-write rules of contract §3.2–3.4 beyond the worked examples.</summary>
public class RecordWriterTests
{
    [Fact]
    public void Primitives_advance_the_position_whether_or_not_they_are_stored()
    {
        var w = new RecordWriter(Span<byte>.Empty);
        w.U8(1);
        w.U16(2);
        w.Bytes(new byte[5]);
        Assert.Equal(8, w.Position);
        Assert.False(w.Fits);
        Assert.Equal(-8, w.Finish());
    }

    [Fact]
    public void A_u16_is_big_endian_and_stored_only_whole()
    {
        var buffer = new byte[3];
        var w = new RecordWriter(buffer);
        w.U16(0x1234);
        w.U16(0xABCD); // needs bytes 2..3, only byte 2 exists
        Assert.Equal(new byte[] { 0x12, 0x34, 0 }, buffer);
        Assert.Equal(-4, w.Finish());
    }

    [Fact]
    public void A_back_patch_is_stored_only_if_both_bytes_fit()
    {
        var buffer = new byte[3];
        var w = new RecordWriter(buffer);
        w.PatchU16(1, 0x0102);
        w.PatchU16(2, 0xFFFF);
        w.PatchU16(-1, 0xFFFF);
        Assert.Equal(new byte[] { 0, 1, 2 }, buffer);
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(-1L, "-1")]
    [InlineData(5_000_000_000L, "5000000000")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    public void Int_fields_are_percent_lld(long value, string text)
    {
        Assert.Equal(text, SingleFieldValue((ref RecordWriter w) => w.Int(1, value), FieldType.Int));
    }

    [Fact]
    public void Real_fields_are_percent_6g()
    {
        Assert.Equal("0.00195312", SingleFieldValue((ref RecordWriter w) => w.Real(3, 0.001953125), FieldType.Real));
        Assert.Equal("1.23457e+06", SingleFieldValue((ref RecordWriter w) => w.Real(3, 1234567), FieldType.Real));
    }

    [Fact]
    public void Hex_fields_are_lower_case()
    {
        Assert.Equal("00ff10ab", SingleFieldValue((ref RecordWriter w) => w.Hex(11, [0x00, 0xFF, 0x10, 0xAB]), FieldType.Hex));
    }

    [Fact]
    public void Utf8_fields_carry_the_strings_bytes_and_null_is_empty()
    {
        Assert.Equal("é/ü", SingleFieldValue((ref RecordWriter w) => w.Utf8(1, "é/ü"), FieldType.Utf8));
        Assert.Equal("", SingleFieldValue((ref RecordWriter w) => w.Utf8(1, (string?)null), FieldType.Utf8));
        Assert.Equal("\u0001raw", SingleFieldValue((ref RecordWriter w) => w.Raw(69, "\u0001raw"u8), FieldType.Raw));
    }

    [Fact]
    public void Values_over_65535_bytes_are_truncated_to_65535()
    {
        var big = new byte[70_000];
        new Random(1).NextBytes(big);
        string text = new('x', 70_000);

        var raw = Encode((ref RecordWriter w) => w.Raw(69, big));
        Assert.Equal(2 + 4 + 65535, raw.Length);
        Assert.Equal(new byte[] { 69, 3, 0xFF, 0xFF }, raw[2..6]);
        Assert.Equal(big[..65535], raw[6..]);

        var utf8 = Encode((ref RecordWriter w) => w.Utf8(61, text));
        Assert.Equal(new byte[] { 61, 2, 0xFF, 0xFF }, utf8[2..6]);
        Assert.Equal(Encoding.ASCII.GetBytes(text[..65535]), utf8[6..]);

        var hex = Encode((ref RecordWriter w) => w.Hex(105, big));
        Assert.Equal(new byte[] { 105, 4, 0xFF, 0xFF }, hex[2..6]);
        Assert.Equal(Convert.ToHexStringLower(big)[..65535], Encoding.ASCII.GetString(hex[6..]));
    }

    [Fact]
    public void An_empty_list_is_the_two_bytes_00_00()
    {
        var buffer = new byte[8];
        var w = new RecordWriter(buffer);
        w.BeginList();
        w.EndList();
        Assert.Equal(2, w.Finish());
        Assert.Equal(new byte[] { 0, 0 }, buffer[..2]);
    }

    [Fact]
    public void A_list_stops_at_65535_entries_and_its_count_never_wraps()
    {
        var buffer = new byte[2];
        var w = new RecordWriter(buffer); // room for the count only: the entries are measured
        w.BeginList();
        int entries = 0;
        while (w.TryBeginEntry())
        {
            w.Int(130, entries);
            w.EndEntry();
            entries++;
            Assert.True(entries <= RecordWriter.MaxListEntries);
        }
        w.EndList();
        Assert.Equal(65535, entries);
        Assert.True(w.ListFull);
        Assert.Equal(new byte[] { 0xFF, 0xFF }, buffer);
    }

    [Fact]
    public void BodyLen_wraps_modulo_65536_like_the_original()
    {
        var buffer = new byte[70_000];
        var w = new RecordWriter(buffer);
        w.BeginList();
        Assert.True(w.TryBeginEntry());
        w.Raw(69, new byte[65535]);
        w.Int(60, 7);
        w.EndEntry();
        w.EndList();
        int body = 2 + (4 + 65535) + (4 + 1);
        Assert.Equal(2 + 2 + body, w.Finish());
        Assert.Equal((ushort)body, (ushort)(buffer[2] << 8 | buffer[3]));
    }

    [Fact]
    public void Alert_entry_C_encodes_state_changed_for_torrent_65536()
    {
        byte[] entry = AlertEntry.Encode(6, 65536, static (ref RecordWriter w, int torrent) =>
        {
            w.Int(60, torrent);
            w.Int(65, 3);
            w.Int(66, 2);
        });
        Assert.Equal(Bytes.Of("00 06 00 15  00 03  3c 00 00 05 36 35 35 33 36  41 00 00 01 33  42 00 00 01 32"), entry);
        Assert.Equal(6, AlertEntry.TypeOf(entry));
    }

    [Fact]
    public void Alert_entries_E_and_F_encode_as_the_contract_shows()
    {
        byte[] bootstrap = AlertEntry.Encode(12, 0L, static (ref RecordWriter w, long t) => w.Int(60, t));
        Assert.Equal(Bytes.Of("00 0c 00 07  00 01  3c 00 00 01 30"), bootstrap);

        byte[] finished = AlertEntry.Encode(4, 131073L, static (ref RecordWriter w, long t) => w.Int(60, t));
        Assert.Equal(Bytes.Of("00 04 00 0c  00 01  3c 00 00 06 31 33 31 30 37 33"), finished);

        byte[] hash = Convert.FromHexString("0123456789abcdef0123456789abcdef01234567");
        byte[] removed = AlertEntry.Encode(11, hash, static (ref RecordWriter w, byte[] h) =>
        {
            w.Int(60, 0);
            w.Hex(70, h);
        });
        Assert.Equal(Bytes.Of("00 0b 00 33  00 02  3c 00 00 01 30  46 04 00 28" +
            "30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66 30 31 32 33 34 35 36 37"), removed);
    }

    [Fact]
    public void A_large_alert_entry_is_encoded_whole()
    {
        var resume = new byte[60_000];
        new Random(2).NextBytes(resume);
        byte[] entry = AlertEntry.Encode(9, resume, static (ref RecordWriter w, byte[] r) =>
        {
            w.Int(60, 65536);
            w.Raw(69, r);
        });
        int body = 2 + (4 + 5) + (4 + resume.Length);
        Assert.Equal(4 + body, entry.Length);
        Assert.Equal((ushort)body, (ushort)(entry[2] << 8 | entry[3]));
        Assert.Equal(resume, entry[^resume.Length..]);
    }

    private delegate void FieldWriter(ref RecordWriter w);

    /// <summary>One record holding the fields <paramref name="fields"/> writes: measured, then written.</summary>
    private static byte[] Encode(FieldWriter fields)
    {
        var measure = new RecordWriter(Span<byte>.Empty);
        Record(ref measure, fields);
        var buffer = new byte[-measure.Finish()];
        var w = new RecordWriter(buffer);
        Record(ref w, fields);
        Assert.Equal(buffer.Length, w.Finish());
        return buffer;
    }

    private static void Record(ref RecordWriter w, FieldWriter fields)
    {
        w.BeginRecord();
        fields(ref w);
        w.EndRecord();
    }

    private static string SingleFieldValue(FieldWriter field, FieldType type)
    {
        byte[] record = Encode(field);
        Assert.Equal(new byte[] { 0, 1 }, record[..2]);
        Assert.Equal((byte)type, record[3]);
        int length = record[4] << 8 | record[5];
        Assert.Equal(record.Length - 6, length);
        return Encoding.UTF8.GetString(record, 6, length);
    }
}
