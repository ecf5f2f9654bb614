// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Resume;
using TorrentXT.Engine.Tests.Creation;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Torrents;
using Xunit;
using EngineSession = TorrentXT.Engine.Session;

namespace TorrentXT.Engine.Tests.Resume;

/// <summary>Resume data through a session: fast resume or rejection, save and restore, compact blobs.</summary>
public sealed class ResumeSessionTests : IDisposable
{
    private readonly EngineSession _session = new(SessionTests.LoopbackSettings());
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _session.Dispose();
        _dir.Dispose();
    }

    private static byte[] Vector(string file) => File.ReadAllBytes(Path.Combine(CreationVectors.Directory(), "resume", file));

    private Torrent AddBlob(byte[] blob, string? savePath = null) =>
        _session.Add(ResumeAddParams.Create(ResumeDataReader.Parse(blob), savePath ?? _dir.Path), out _);

    private List<Alert> Drain() { var l = new List<Alert>(); _session.Alerts.DrainTo(l); return l; }

    private List<Alert> WaitFor(Func<List<Alert>, bool> done, int ms = 10_000)
    {
        var seen = new List<Alert>();
        TestTorrents.WaitUntil(() => { seen.AddRange(Drain()); return done(seen); }, ms);
        return seen;
    }

    [Fact]
    public void A_blob_over_matching_files_resumes_without_hashing()
    {
        TestTorrents.WritePayload("hybrid_multi", _dir.Path);
        var t = AddBlob(Vector("seeding_with_info.resume"));
        var seen = WaitFor(a => t.State == TorrentState.Seeding);
        Assert.Equal(TorrentState.Seeding, t.State);
        Assert.DoesNotContain(seen, a => a is StateChangedAlert { State: TorrentState.CheckingFiles });
        Assert.DoesNotContain(seen, a => a is FastresumeRejectedAlert);
    }

    [Fact]
    public void Missing_files_reject_the_blob_and_a_full_check_follows()
    {
        var t = AddBlob(Vector("seeding_with_info.resume"));
        var seen = WaitFor(a => a.OfType<FastresumeRejectedAlert>().Any() && t.State == TorrentState.Downloading);
        var rejected = Assert.Single(seen.OfType<FastresumeRejectedAlert>());
        Assert.Equal(("file_stat", 134, "mismatching file size"), (rejected.Operation, rejected.ErrorCode, rejected.ErrorMessage));
        Assert.EndsWith("A.txt", rejected.Path);
        Assert.Equal(0, t.GetStatus().TotalDone);
    }

    [Fact]
    public void A_file_cut_short_rejects_the_blob_and_the_check_keeps_the_intact_pieces()
    {
        TestTorrents.WritePayload("hybrid_multi", _dir.Path);
        using (var f = File.OpenWrite(Path.Combine(_dir.Path, "hybrid_multi", "a", "big.bin"))) f.SetLength(50_000);
        var t = AddBlob(Vector("seeding_with_info.resume"));
        var seen = WaitFor(a => a.OfType<FastresumeRejectedAlert>().Any() && t.State == TorrentState.Downloading);
        Assert.Equal("check_resume", Assert.Single(seen.OfType<FastresumeRejectedAlert>()).Operation);
        // libtorrent's result for the same disk (load_checks): pieces 0-3 and 8-12.
        var bits = t.PieceBitfield()!;
        var have = Enumerable.Range(0, 13).Where(p => (bits[p >> 3] & (0x80 >> (p & 7))) != 0).ToArray();
        Assert.Equal(new[] { 0, 1, 2, 3, 8, 9, 10, 11, 12 }, have);
    }

    [Fact]
    public void A_partial_blob_is_trusted_for_what_it_claims_only()
    {
        TestTorrents.WritePayload("hybrid_multi", _dir.Path); // more than the blob claims
        var t = AddBlob(Vector("partial_with_info.resume"));
        WaitFor(a => t.State == TorrentState.Downloading);
        var bits = t.PieceBitfield()!;
        var have = Enumerable.Range(0, 13).Where(p => (bits[p >> 3] & (0x80 >> (p & 7))) != 0).ToArray();
        Assert.Equal(new[] { 0, 1, 2, 4, 5, 6, 7, 8, 12 }, have);
    }

    [Fact]
    public void A_blob_without_info_waits_for_metadata_and_keeps_its_state()
    {
        var t = AddBlob(Vector("seeding.resume"), savePath: "");
        Assert.Equal(TorrentState.DownloadingMetadata, t.State);
        Assert.Equal("/tmp/libtorrent-vectors-work/resume/seeding", t.SavePath);
        Assert.Equal("hybrid_multi", t.DisplayName);
        // Saving it again hands on the piece state it was added with.
        _session.SaveResumeData(t, includeInfo: true);
        var ready = WaitFor(a => a.OfType<ResumeDataReadyAlert>().Any()).OfType<ResumeDataReadyAlert>().Single();
        var again = ResumeDataReader.Parse(ready.Blob);
        Assert.Equal(ResumeDataReader.Parse(Vector("seeding.resume")).Pieces, again.Pieces);
        Assert.Null(again.InfoDict);
    }

    [Fact]
    public void Everything_saved_comes_back()
    {
        TestTorrents.WritePayload("v1_multi", _dir.Path);
        var info = TestTorrents.Load("v1_multi");
        var t = _session.Add(AddTorrentParams.FromTorrent(info, _dir.Path, TorrentFlags.Paused | TorrentFlags.ApplyIpFilter), out _);
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding));
        t.SetFilePriority(1, 6);
        t.SetPiecePriority(0, 2);
        t.SetFlags(TorrentFlags.SequentialDownload | TorrentFlags.DisablePex, TorrentFlags.SequentialDownload | TorrentFlags.DisablePex);
        t.AddTracker("http://127.0.0.1:1/a", 0);
        t.AddTracker("udp://127.0.0.1:2", 1);
        t.AddUrlSeed("http://127.0.0.1:3/seed/");
        t.DownloadLimit = 5000; t.UploadLimit = 7000; t.MaxConnections = 33; t.MaxUploads = 4;
        var before = t.GetStatus();
        _session.SaveResumeData(t, includeInfo: true);
        var blob = WaitFor(a => a.OfType<ResumeDataReadyAlert>().Any()).OfType<ResumeDataReadyAlert>().Single().Blob;
        _session.Remove(t, deleteFiles: false);
        Assert.True(TestTorrents.WaitUntil(() => _session.Torrents.Count == 0));

        var back = AddBlob(blob, savePath: "");
        Assert.True(TestTorrents.WaitUntil(() => back.State == TorrentState.Seeding));
        var st = back.GetStatus();
        Assert.Equal(_dir.Path, st.SavePath);
        Assert.Equal(before.Flags, st.Flags);
        Assert.Equal(before.AddedTime, st.AddedTime);
        Assert.Equal(before.CompletedTime, st.CompletedTime);
        Assert.Equal(t.FilePriorities(), back.FilePriorities());
        Assert.Equal(t.PiecePriorities(), back.PiecePriorities());
        Assert.Equal(t.Trackers().Select(x => (x.Url, x.Tier)), back.Trackers().Select(x => (x.Url, x.Tier)));
        Assert.Equal(t.UrlSeeds(), back.UrlSeeds());
        Assert.Equal((5000, 7000, 33, 4), (back.DownloadLimit, back.UploadLimit, back.MaxConnections, back.MaxUploads));
    }

    [Fact]
    public void Counters_and_the_queue_position_come_back()
    {
        var data = ResumeDataReader.Parse(Vector("partial_network.resume"));
        data.TotalUploaded = 777;
        data.QueuePosition = 0;
        data.AddedTime = 1_600_000_000;
        data.CompletedTime = 1_600_000_100;
        var first = _session.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse("magnet:?xt=urn:btih:" + new string('7', 40)), _dir.Path, TorrentFlags.Paused), out _);
        var t = _session.Add(ResumeAddParams.Create(ResumeDataReader.Parse(ResumeDataWriter.Write(data)), _dir.Path), out _);
        Assert.Equal(0, _session.QueuePosition(t));
        Assert.Equal(1, _session.QueuePosition(first));
        var st = t.GetStatus();
        Assert.Equal((524288L, 777L), (st.AllTimeDownload, st.AllTimeUpload));
        Assert.Equal((1_600_000_000L, 1_600_000_100L), (st.AddedTime, st.CompletedTime));
    }

    /// <summary>An info dict of <paramref name="pieces"/> 16 KiB pieces (zero hashes; nothing is ever read).</summary>
    private static TorrentInfo Huge(int pieces)
    {
        var info = new BDict
        {
            ["name"] = "huge.bin",
            ["piece length"] = 16384,
            ["length"] = (long)pieces * 16384,
            ["pieces"] = new byte[pieces * 20],
        };
        return TorrentInfo.FromInfoDictionary(BencodeWriter.Encode(info));
    }

    [Fact]
    public void A_complete_torrent_fits_the_record_cap_whatever_its_piece_count()
    {
        var t = _session.Add(AddTorrentParams.FromTorrent(Huge(200_000), _dir.Path, TorrentFlags.SeedMode | TorrentFlags.Paused), out _);
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding));
        _session.SaveResumeData(t, includeInfo: true);
        var blob = WaitFor(a => a.OfType<ResumeDataReadyAlert>().Any()).OfType<ResumeDataReadyAlert>().Single().Blob;
        Assert.True(blob.Length <= EngineSession.ResumeRecordCap, $"{blob.Length} bytes");
        var r = ResumeDataReader.Parse(blob);
        Assert.True(r.AllPieces);
        Assert.Null(r.InfoDict); // 4 MB of piece hashes cannot travel
        Assert.False(ResumeAddParams.Create(r, null).Flags.HasFlag(TorrentFlags.SeedMode), "the marker is not an app's seed mode");
    }

    [Fact]
    public void Only_a_partial_torrent_whose_piece_map_exceeds_the_cap_cannot_fit()
    {
        // 65,000 pieces: the piece map alone is 65,000 bytes, over the 65,280-byte cap with the rest.
        var data = new ResumeData { InfoHashV1 = new byte[20], Pieces = new byte[65_000] };
        data.InfoHashV1[0] = 1;
        var blob = ResumeDataWriter.WriteWithin(data, EngineSession.ResumeRecordCap, out bool fits);
        Assert.False(fits);
        Assert.True(blob.Length > EngineSession.ResumeRecordCap);
        data.Pieces = new byte[64_000];
        ResumeDataWriter.WriteWithin(data, EngineSession.ResumeRecordCap, out fits);
        Assert.True(fits);
    }
}
