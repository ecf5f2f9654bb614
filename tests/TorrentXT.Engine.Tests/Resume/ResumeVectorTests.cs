// SPDX-License-Identifier: MIT
using System.Text.Json;
using TorrentXT.Engine.Resume;
using TorrentXT.Engine.Tests.Creation;
using TorrentXT.Engine.Torrents;
using Xunit;

namespace TorrentXT.Engine.Tests.Resume;

/// <summary>libtorrent 2.0.8's resume blobs (vectors/resume) read as libtorrent reads them, and survive our writer.</summary>
public sealed class ResumeVectorTests
{
    private static string Dir => Path.Combine(CreationVectors.Directory(), "resume");
    private static readonly Lazy<JsonDocument> Manifest = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Dir, "manifest.json"))));

    public static IEnumerable<object[]> Blobs() =>
        Manifest.Value.RootElement.GetProperty("blobs").EnumerateArray().Select(b => new object[] { b.GetProperty("file").GetString()! });

    private static JsonElement Entry(string file) =>
        Manifest.Value.RootElement.GetProperty("blobs").EnumerateArray().First(b => b.GetProperty("file").GetString() == file);

    [Theory]
    [MemberData(nameof(Blobs))]
    public void Every_blob_reads_like_libtorrent_reads_it(string file)
    {
        var r = ResumeDataReader.Parse(File.ReadAllBytes(Path.Combine(Dir, file)));
        var back = Entry(file).GetProperty("read_back");
        Assert.Equal(back.GetProperty("info_hash_v1").GetString(), Convert.ToHexStringLower(r.InfoHashV1!));
        Assert.Equal(back.GetProperty("name").GetString(), r.Name);
        Assert.Equal(back.GetProperty("save_path").GetString(), r.SavePath);
        var have = back.GetProperty("have_pieces").EnumerateArray().Select(e => e.GetInt32()).ToHashSet();
        for (int p = 0; p < (r.Pieces?.Length ?? 0); p++) Assert.Equal(have.Contains(p), r.HasPiece(p));
        Assert.Equal(back.GetProperty("total_downloaded").GetInt64(), r.TotalDownloaded);
        Assert.Equal(back.GetProperty("download_limit").GetInt32(), r.DownloadLimit);
        Assert.Equal(back.GetProperty("max_connections").GetInt32(), r.MaxConnections);
        var trackers = back.GetProperty("trackers").EnumerateArray().Select(t => (t.GetProperty("url").GetString(), t.GetProperty("tier").GetInt32())).ToList();
        Assert.Equal(trackers, r.Trackers.SelectMany((tier, i) => tier.Select(u => ((string?)u, i))).ToList());
        Assert.Equal(back.GetProperty("url_seeds").EnumerateArray().Select(e => e.GetString()).ToList(), r.UrlSeeds.Cast<string?>().ToList());
        Assert.Equal(back.GetProperty("has_ti").GetBoolean(), r.InfoDict is not null);
    }

    [Theory]
    [MemberData(nameof(Blobs))]
    public void Our_writer_keeps_everything_a_blob_says(string file)
    {
        var r = ResumeDataReader.Parse(File.ReadAllBytes(Path.Combine(Dir, file)));
        var again = ResumeDataReader.Parse(ResumeDataWriter.Write(r));
        Assert.Equal(r.Pieces, again.Pieces);
        Assert.Equal(r.FilePriorities, again.FilePriorities);
        Assert.Equal(r.PiecePriorities, again.PiecePriorities);
        Assert.Equal(r.Trackers, again.Trackers);
        Assert.Equal(r.UrlSeeds, again.UrlSeeds);
        Assert.Equal(r.MappedFiles, again.MappedFiles);
        Assert.Equal(r.Flags, again.Flags);
        Assert.Equal(r.FlagsPresent, again.FlagsPresent);
        Assert.Equal((r.DownloadLimit, r.UploadLimit, r.MaxConnections, r.MaxUploads), (again.DownloadLimit, again.UploadLimit, again.MaxConnections, again.MaxUploads));
        Assert.Equal((r.AddedTime, r.CompletedTime, r.TotalDownloaded, r.TotalUploaded), (again.AddedTime, again.CompletedTime, again.TotalDownloaded, again.TotalUploaded));
        Assert.Equal(r.InfoDict?.ToArray(), again.InfoDict?.ToArray());
        Assert.Equal(r.Trees.Select(t => (Convert.ToHexString(t.Hashes), t.Mask, t.Verified)), again.Trees.Select(t => (Convert.ToHexString(t.Hashes), t.Mask, t.Verified)));
    }

    [Fact]
    public void The_edited_blob_brings_back_priorities_limits_and_flags()
    {
        var r = ResumeDataReader.Parse(File.ReadAllBytes(Path.Combine(Dir, "edited.resume")));
        Assert.Equal(new byte[] { 7, 0, 0, 0, 1, 4, 6, 0, 0, 0 }, r.FilePriorities);
        Assert.Equal(Convert.FromHexString("07000000000000000406060600"), r.PiecePriorities);
        var p = ResumeAddParams.Create(r, "/tmp/elsewhere");
        Assert.Equal("/tmp/elsewhere", p.SavePath);
        Assert.True(p.Flags.HasFlag(TorrentFlags.SequentialDownload) && p.Flags.HasFlag(TorrentFlags.Paused));
        Assert.Null(p.Info); // this blob has no info dict
    }

    [Fact]
    public void Trees_rebuild_the_piece_layers_a_v2_info_dict_lacks()
    {
        var r = ResumeDataReader.Parse(File.ReadAllBytes(Path.Combine(Dir, "seeding_with_info.resume")));
        var p = ResumeAddParams.Create(r, null);
        Assert.NotNull(p.Info);
        Assert.True(p.Info!.HasPieceLayers, "the layers come from the blob's trees");
        var reference = Session.TestTorrents.Load("hybrid_multi");
        for (int f = 0; f < reference.Files.Count; f++)
            Assert.Equal(reference.PieceLayer(f).ToArray(), p.Info.PieceLayer(f).ToArray());
        // And what we write for it is what libtorrent wrote (16 KiB pieces: the piece layer is the leaf layer).
        var ours = ResumeTrees.FromInfo(reference);
        Assert.Equal(r.Trees.Select(t => (Convert.ToHexString(t.Hashes), t.Mask, t.Verified)), ours.Select(t => (Convert.ToHexString(t.Hashes), t.Mask, t.Verified)));
    }

    [Fact]
    public void Bad_envelopes_are_refused_with_libtorrents_texts()
    {
        Assert.Equal("invalid file format tag", Assert.Throws<ResumeDataException>(() => ResumeDataReader.Parse("de"u8.ToArray())).Message);
        Assert.Equal("missing info-hash", Assert.Throws<ResumeDataException>(() =>
            ResumeDataReader.Parse("d11:file-format22:libtorrent resume filee"u8.ToArray())).Message);
    }
}
