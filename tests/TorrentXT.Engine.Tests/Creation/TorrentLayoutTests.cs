// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.Json;
using TorrentXT.Engine.Creation;
using Xunit;

namespace TorrentXT.Engine.Tests.Creation;

/// <summary>
/// Contract §8 step 3 and the vectors' file-order study: which flags canonicalise the file list,
/// the BEP 52 order, and where pad files go.
/// </summary>
public sealed class TorrentLayoutTests
{
    private const int Piece = 16 * 1024;

    public static IEnumerable<object[]> Variants() =>
        CreationVectors.Manifest.GetProperty("file_order").GetProperty("variants").EnumerateArray()
            .Select(v => new object[] { v.GetProperty("variant").GetString()! });

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_file_list_is_libtorrents_for_either_input_order(string variant)
    {
        var v = Variant(variant);
        var flags = (CreateTorrentFlags)v.GetProperty("create_flags_value").GetUInt32();
        var forward = InputFiles();
        var reversed = Enumerable.Reverse(forward).ToList();
        var expectReversed = v.GetProperty("files_from_reversed_input").ValueKind == JsonValueKind.Null
            ? v.GetProperty("files_from_forward_input")
            : v.GetProperty("files_from_reversed_input");

        Assert.Equal(Describe(v.GetProperty("files_from_forward_input")), Describe(Layout(forward, flags)));
        Assert.Equal(Describe(expectReversed), Describe(Layout(reversed, flags)));
    }

    [Fact]
    public void Canonical_order_compares_paths_component_by_component()
    {
        var expected = CreationVectors.Manifest.GetProperty("file_order").GetProperty("canonical_order")
            .EnumerateArray().Select(p => p.GetString()!["v1_canonical/".Length..]).ToList();

        var layout = Layout(InputFiles(), CreateTorrentFlags.None);

        Assert.Equal(expected, layout.Where(f => !f.IsPad).Select(f => Join(f.Path)).ToList());
    }

    [Fact]
    public void Pad_files_fill_to_the_next_piece_and_carry_their_size_in_the_name()
    {
        var layout = Layout([("a", 40000), ("b", 5)], CreateTorrentFlags.None);

        Assert.Equal(["a 40000 @0", ".pad/9152 9152 @40000 pad", "b 5 @49152", ".pad/16379 16379 @49157 pad"],
            layout.Select(Describe).ToList());
    }

    [Fact]
    public void A_lone_file_is_never_padded_even_inside_a_directory()
    {
        var layout = Layout([("only.bin", 40000)], CreateTorrentFlags.None);

        Assert.Equal(["only.bin 40000 @0"], layout.Select(Describe).ToList());
    }

    [Fact]
    public void Without_tail_padding_the_pad_goes_before_the_next_non_empty_file()
    {
        var layout = Layout([("a", 40000), ("b", 0), ("c", 5)], CreateTorrentFlags.CanonicalFilesNoTailPadding);

        Assert.Equal(["a 40000 @0", "b 0 @40000", ".pad/9152 9152 @40000 pad", "c 5 @49152"], layout.Select(Describe).ToList());
    }

    [Fact]
    public void Plain_v1_keeps_the_scan_order_and_adds_no_pads()
    {
        var layout = Layout([("z", 5), ("a", 40000)], CreateTorrentFlags.V1Only);

        Assert.Equal(["z 5 @0", "a 40000 @5"], layout.Select(Describe).ToList());
    }

    private static JsonElement Variant(string name) =>
        CreationVectors.Manifest.GetProperty("file_order").GetProperty("variants").EnumerateArray()
            .First(v => v.GetProperty("variant").GetString() == name);

    // The study's input: the v1_only variant lists the files in add_file() order with their sizes.
    private static List<(string Path, long Size)> InputFiles() =>
        Variant("v1_only").GetProperty("files_from_forward_input").EnumerateArray()
            .Select(f => (f.GetProperty("path").GetString()!["v1_canonical/".Length..], f.GetProperty("size").GetInt64()))
            .ToList();

    private static List<LayoutFile> Layout(List<(string Path, long Size)> files, CreateTorrentFlags flags)
    {
        var scanned = files.Select(f => new ScannedFile("/nowhere/" + f.Path, f.Path.Split('/').Select(Encoding.UTF8.GetBytes).ToArray(), f.Size, false, 0)).ToList();
        return TorrentLayout.Build(new ScannedContent("v1_canonical", false, scanned), Piece, flags);
    }

    private static List<string> Describe(JsonElement files) =>
        files.EnumerateArray().Select(f => $"{f.GetProperty("path").GetString()!["v1_canonical/".Length..]} {f.GetProperty("size").GetInt64()}{(f.GetProperty("pad").GetBoolean() ? " pad" : "")}").ToList();

    private static List<string> Describe(List<LayoutFile> layout) =>
        layout.Select(f => $"{Join(f.Path)} {f.Size}{(f.IsPad ? " pad" : "")}").ToList();

    private static string Describe(LayoutFile f) => $"{Join(f.Path)} {f.Size} @{f.Offset}{(f.IsPad ? " pad" : "")}";

    private static string Join(byte[][] path) => string.Join('/', path.Select(c => Encoding.UTF8.GetString(c)));
}
