// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Creation;
using Xunit;

namespace TorrentXT.Engine.Tests.Creation;

/// <summary>
/// The key acceptance: from the same content, piece size and flags, TorrentCreator writes the same
/// info dictionary as libtorrent 2.0.8, so both info-hashes match the vectors.
/// </summary>
public sealed class TorrentCreatorVectorTests
{
    public static IEnumerable<object[]> Ids() => CreationVectors.TorrentIds();

    // A plain v1 multi-file torrent keeps the order files were found in, so only vectors whose
    // order libtorrent canonicalises (or that have one file) can be rebuilt from a directory scan.
    public static IEnumerable<object[]> ScanOrderIndependentIds() => Ids().Where(a => (string)a[0] != "v1_multi");

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_info_dictionary_is_byte_identical_to_libtorrents(string id)
    {
        var vector = CreationVectors.Torrent(id);
        using var dir = new ScratchDir();
        CreationVectors.WritePayload(id, dir.Path);

        byte[] ours = TorrentCreator.Create(ContentInManifestOrder(vector, dir.Path), OptionsOf(vector), 0, parallelism: 2);

        // The creator has no 'private' switch, so that key is left out of the vector's dictionary.
        Assert.Equal(Convert.ToHexString(InfoWithout(CreationVectors.TorrentFile(id), "private")), Convert.ToHexString(InfoOf(ours)));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_info_hashes_are_libtorrents(string id)
    {
        var vector = CreationVectors.Torrent(id);
        if (vector.GetProperty("private").GetBoolean()) return; // its hash covers 'private', which the creator never writes
        using var dir = new ScratchDir();
        CreationVectors.WritePayload(id, dir.Path);

        byte[] info = InfoOf(TorrentCreator.Create(ContentInManifestOrder(vector, dir.Path), OptionsOf(vector), 0, parallelism: 2));

        Assert.Equal(HexOrNull(vector, "info_hash_v1"), HasKey(info, "pieces") ? Convert.ToHexStringLower(SHA1.HashData(info)) : null);
        Assert.Equal(HexOrNull(vector, "info_hash_v2"), HasKey(info, "file tree") ? Convert.ToHexStringLower(SHA256.HashData(info)) : null);
    }

    [Theory]
    [MemberData(nameof(ScanOrderIndependentIds))]
    public void Creating_from_the_payload_directory_gives_libtorrents_info_hash(string id)
    {
        var vector = CreationVectors.Torrent(id);
        using var dir = new ScratchDir();
        CreationVectors.WritePayload(id, dir.Path);
        string content = Path.Combine(dir.Path, vector.GetProperty("name").GetString()!);

        byte[] ours = TorrentCreator.Create(OptionsOf(vector) with { ContentPath = content }, creationDate: 0);

        Assert.Equal(Convert.ToHexString(InfoWithout(CreationVectors.TorrentFile(id), "private")), Convert.ToHexString(InfoOf(ours)));
    }

    [Theory]
    [InlineData("v1_single")]
    [InlineData("hybrid_multi")]
    [InlineData("v2_multi")]
    [InlineData("utf8_names")]
    [InlineData("hybrid_notail")]
    [InlineData("v2_single")]
    [InlineData("v1_canonical")]
    [InlineData("hybrid_order")]
    public void Without_a_creation_date_the_whole_file_matches_libtorrents(string id)
    {
        // These vectors have nothing at the top level but what the creator writes (no trackers, comment or seeds).
        var vector = CreationVectors.Torrent(id);
        using var dir = new ScratchDir();
        CreationVectors.WritePayload(id, dir.Path);

        byte[] ours = TorrentCreator.Create(ContentInManifestOrder(vector, dir.Path), OptionsOf(vector), 0, parallelism: 2);

        Assert.Equal(vector.GetProperty("sha256_of_torrent_file").GetString(), Convert.ToHexStringLower(SHA256.HashData(ours)));
    }

    [Fact]
    public void Hashing_on_one_thread_and_on_many_gives_the_same_bytes()
    {
        var vector = CreationVectors.Torrent("hybrid_multi");
        using var dir = new ScratchDir();
        CreationVectors.WritePayload("hybrid_multi", dir.Path);
        var content = ContentInManifestOrder(vector, dir.Path);

        Assert.Equal(TorrentCreator.Create(content, OptionsOf(vector), 0, parallelism: 1),
                     TorrentCreator.Create(content, OptionsOf(vector), 0, parallelism: 8));
    }

    internal static CreateTorrentOptions OptionsOf(JsonElement vector) =>
        new("unused", vector.GetProperty("requested_piece_size").GetInt32(), vector.GetProperty("create_flags_value").GetUInt32(), null);

    /// <summary>The vector's files in libtorrent's add_file() order, as if a scan had found them so.</summary>
    internal static ScannedContent ContentInManifestOrder(JsonElement vector, string savePath)
    {
        string name = vector.GetProperty("name").GetString()!;
        bool single = vector.GetProperty("single_file_layout").GetBoolean();
        var files = new List<ScannedFile>();
        foreach (var (path, size, _) in CreationVectors.PayloadFiles(vector.GetProperty("id").GetString()!))
        {
            var components = path.Split('/').Skip(single ? 0 : 1).Select(Encoding.UTF8.GetBytes).ToArray();
            files.Add(new ScannedFile(Path.Combine(savePath, path), components, size, Executable: false, MTime: 1700000000));
        }
        return new ScannedContent(name, single, files);
    }

    internal static byte[] InfoOf(byte[] torrent) => BencodeReader.Decode(torrent)["info"]!.Raw.ToArray();

    private static byte[] InfoWithout(byte[] torrent, string key)
    {
        var info = BencodeReader.Decode(torrent)["info"]!;
        var w = new BencodeWriter();
        w.BeginDictionary();
        foreach (var e in info.Entries)
        {
            if (e.Key.Span.SequenceEqual(Encoding.UTF8.GetBytes(key))) continue;
            w.String(e.Key.Span).RawValue(e.Value.Raw.Span);
        }
        return w.End().ToArray();
    }

    private static bool HasKey(byte[] dict, string key) => BencodeReader.Decode(dict).Get(key) is not null;

    private static string? HexOrNull(JsonElement e, string property) =>
        e.GetProperty(property).ValueKind == JsonValueKind.Null ? null : e.GetProperty(property).GetString();
}
