// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Creation;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Resume;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Tests.Storage;
using TorrentXT.Engine.Tests.Swarm;
using TorrentXT.Engine.Torrents;
using Xunit;

namespace TorrentXT.Engine.Tests.Resume;

/// <summary>
/// Resume data's 'unfinished' (pieces with some blocks on disk): written and read in libtorrent's
/// form, and a restart from it fetches only the blocks that are missing.
/// </summary>
public sealed class UnfinishedPiecesTests : TwoSessions
{
    [Fact]
    public void Unfinished_pieces_round_trip_through_the_writer_and_reader()
    {
        var d = new ResumeData { InfoHashV1 = Enumerable.Repeat((byte)0xAB, 20).ToArray(), Pieces = new byte[12] };
        d.Unfinished.Add((3, new byte[] { 0xA0 }));
        d.Unfinished.Add((11, new byte[] { 0x00, 0x01 }));
        var blob = ResumeDataWriter.Write(d);
        var back = ResumeDataReader.Parse(blob);
        Assert.Equal(new[] { 3, 11 }, back.Unfinished.Select(u => u.Piece));
        Assert.Equal(new byte[] { 0xA0 }, back.Unfinished[0].Bitmask);
        Assert.Equal(new byte[] { 0x00, 0x01 }, back.Unfinished[1].Bitmask);
        var list = BencodeReader.Decode(blob).GetList("unfinished");
        Assert.NotNull(list);
        Assert.Equal(2, list.Items.Count);
    }

    [Fact]
    public void The_reader_takes_libtorrents_entries_and_ignores_adler32_and_broken_ones()
    {
        // libtorrent 2.0.8 writes {piece, bitmask}; older versions added adler32, which we do not check.
        var root = new BDict
        {
            ["file-format"] = ResumeKeys.FileFormat,
            ["file-version"] = ResumeKeys.FileVersion,
            ["info-hash"] = Enumerable.Repeat((byte)0xAB, 20).ToArray(),
            ["pieces"] = new byte[8],
            ["unfinished"] = new BList
            {
                new BDict { ["piece"] = 5, ["bitmask"] = new byte[] { 0x40, 0x80 }, ["adler32"] = 12345 },
                new BDict { ["piece"] = -1, ["bitmask"] = new byte[] { 0x80 } },
                new BDict { ["bitmask"] = new byte[] { 0x80 } },
                new BDict { ["piece"] = 2 },
            },
        };
        var r = ResumeDataReader.Parse(BencodeWriter.Encode(root));
        var only = Assert.Single(r.Unfinished);
        Assert.Equal(5, only.Piece);
        Assert.Equal(new byte[] { 0x40, 0x80 }, only.Bitmask);
    }

    [Theory]
    [InlineData(CreateTorrentFlags.V1Only)]
    [InlineData(CreateTorrentFlags.None)] // hybrid
    public void A_restart_from_unfinished_pieces_fetches_only_the_missing_blocks_and_ends_byte_exact(CreateTorrentFlags flags)
    {
        var info = MultiBlockContent.Create(_seedDir.Path, flags);
        var seed = _seeder.Add(AddTorrentParams.FromTorrent(info, _seedDir.Path, TorrentFlags.Default), out _);
        Assert.True(TestTorrents.WaitUntil(() => seed.State == TorrentState.Seeding && !seed.IsPaused, 15_000), "the seeder checks its data");
        Assert.True(TestTorrents.WaitUntil(() => _seeder.ListenPort > 0));

        // "Before the crash": the first half of each piece's blocks reached the disk; one of piece 0's is corrupt.
        var unfinished = new List<(int Piece, byte[] Bitmask)>();
        long onDisk = 0;
        using (var complete = new TorrentStorage(info, _seedDir.Path))
        using (var partial = new TorrentStorage(info, _leechDir.Path))
        {
            for (int p = 0; p < info.Files.NumPieces; p++)
            {
                int size = info.Files.PieceSize(p);
                int blocks = (size + MultiBlockContent.BlockSize - 1) / MultiBlockContent.BlockSize;
                var mask = new byte[(blocks + 7) / 8];
                for (int b = 0; b < Math.Max(1, blocks / 2); b++)
                {
                    int o = b * MultiBlockContent.BlockSize, n = Math.Min(MultiBlockContent.BlockSize, size - o);
                    var bytes = MultiBlockContent.Read(complete, p, o, n);
                    if (p == 0 && b == 1) bytes[7] ^= 0xFF;
                    partial.WriteBlock(p, o, bytes);
                    mask[b >> 3] |= (byte)(0x80 >> (b & 7));
                    onDisk += n;
                }
                if (blocks > 1) unfinished.Add((p, mask)); // a one-block piece would be complete: not 'unfinished'
                else onDisk -= size;
            }
            partial.Flush();
        }
        var d = new ResumeData
        {
            InfoHashV1 = info.InfoHashes.V1,
            InfoHashV2 = info.InfoHashes.V2,
            Name = info.Name,
            SavePath = _leechDir.Path,
            InfoDict = info.InfoBytes,
            Pieces = new byte[info.Files.NumPieces],
            FlagsPresent = TorrentFlags.Paused | TorrentFlags.AutoManaged,
        };
        d.Trees.AddRange(ResumeTrees.FromInfo(info));
        d.Unfinished.AddRange(unfinished);
        d.Peers.Add(new IPEndPoint(IPAddress.Loopback, _seeder.ListenPort));
        var parsed = ResumeDataReader.Parse(ResumeDataWriter.Write(d));
        Assert.Equal(unfinished.Count, parsed.Unfinished.Count);

        var t = _leecher.Add(ResumeAddParams.Create(parsed, null), out _);
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding, 30_000), $"state {t.State}, progress {t.GetStatus().Progress}");
        var alerts = new List<Alert>();
        _leecher.Alerts.DrainTo(alerts);
        Assert.DoesNotContain(alerts, a => a is FastresumeRejectedAlert);
        foreach (var f in info.Files.Files.Where(f => !f.IsPad))
            Assert.True(File.ReadAllBytes(Path.Combine(_seedDir.Path, f.Path)).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(_leechDir.Path, f.Path))), f.Path + " is byte-exact");

        // Every byte not on disk came over the wire, and piece 0 (its resumed block was corrupt, so
        // its check failed) once more in full; nothing else.
        long total = info.Files.TotalSize;
        long expected = total - onDisk + info.Files.PieceSize(0);
        Assert.True(TestTorrents.WaitUntil(() => t.GetStatus().AllTimeDownload >= expected, 5_000),
            $"downloaded {t.GetStatus().AllTimeDownload}, expected {expected}");
        long downloaded = t.GetStatus().AllTimeDownload;
        Assert.True(downloaded < total, $"downloaded {downloaded} of {total}: the blocks on disk were fetched again");
        Assert.True(downloaded <= expected + 2 * MultiBlockContent.BlockSize, $"downloaded {downloaded}, expected {expected}");
        // Piece 0 failed on a block from the resume data, not on the seeder's: the seeder, its only
        // other source, is not banned for it.
        Assert.Equal(0, _leecher.Swarm.BannedCountOf(t));
    }

    [Fact]
    public void Saved_mid_download_the_blob_lists_only_blocks_on_disk_and_a_restart_from_it_fetches_the_rest()
    {
        var info = MultiBlockContent.Create(_seedDir.Path, CreateTorrentFlags.V1Only);
        var seed = _seeder.Add(AddTorrentParams.FromTorrent(info, _seedDir.Path, TorrentFlags.Default), out _);
        seed.UploadLimit = 40 * 1024; // slow enough to save while pieces are in progress
        Assert.True(TestTorrents.WaitUntil(() => seed.State == TorrentState.Seeding && !seed.IsPaused, 15_000), "the seeder checks its data");
        Assert.True(TestTorrents.WaitUntil(() => _seeder.ListenPort > 0));
        Thread.Sleep(1500); // the swarm applies the limit on its next tick

        var leech = _leecher.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse(MagnetFor(seed, _seeder.ListenPort)), _leechDir.Path,
            TorrentFlags.Default & ~(TorrentFlags.AutoManaged | TorrentFlags.Paused)), out _);
        ResumeData? saved = null;
        var alerts = new List<Alert>();
        Assert.True(TestTorrents.WaitUntil(() =>
        {
            if (leech.State == TorrentState.Seeding) return true;
            _leecher.SaveResumeData(leech, includeInfo: true);
            if (!TestTorrents.WaitUntil(() => { _leecher.Alerts.DrainTo(alerts); return alerts.OfType<ResumeDataReadyAlert>().Any(); }, 5_000)) return false;
            var r = ResumeDataReader.Parse(alerts.OfType<ResumeDataReadyAlert>().Last().Blob);
            alerts.Clear();
            if (r.Unfinished.Count == 0) return false;
            saved = r;
            return true;
        }, 30_000), "a save while pieces are in progress");
        Assert.NotNull(saved);
        _leecher.Dispose(); // keeps downloading until here: the disk holds more than the blob says

        // Every block the blob lists is on disk with the seeder's bytes; no listed piece is had.
        long listed = 0;
        using (var complete = new TorrentStorage(info, _seedDir.Path))
        using (var partial = new TorrentStorage(info, _leechDir.Path))
        {
            foreach (var (piece, mask) in saved!.Unfinished)
            {
                Assert.False(saved.HasPiece(piece), $"piece {piece} is both had and unfinished");
                int size = info.Files.PieceSize(piece);
                for (int o = 0, b = 0; o < size; o += MultiBlockContent.BlockSize, b++)
                {
                    if ((mask[b >> 3] & (0x80 >> (b & 7))) == 0) continue;
                    int n = Math.Min(MultiBlockContent.BlockSize, size - o);
                    Assert.Equal(MultiBlockContent.Read(complete, piece, o, n), MultiBlockContent.Read(partial, piece, o, n));
                    listed += n;
                }
            }
        }
        Assert.True(listed > 0);
        long had = Enumerable.Range(0, info.Files.NumPieces).Where(saved.HasPiece).Sum(p => (long)info.Files.PieceSize(p));

        seed.UploadLimit = 0;
        using var again = new Engine.Session(SessionTests.LoopbackSettings());
        var back = again.Add(ResumeAddParams.Create(saved, null), out _);
        Assert.True(TestTorrents.WaitUntil(() => back.State == TorrentState.Seeding, 30_000), $"state {back.State}");
        alerts.Clear();
        again.Alerts.DrainTo(alerts);
        Assert.DoesNotContain(alerts, a => a is FastresumeRejectedAlert);
        foreach (var f in info.Files.Files.Where(f => !f.IsPad))
            Assert.True(File.ReadAllBytes(Path.Combine(_seedDir.Path, f.Path)).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(_leechDir.Path, f.Path))), f.Path + " is byte-exact");
        long expected = info.Files.TotalSize - had - listed;
        Assert.True(TestTorrents.WaitUntil(() => back.GetStatus().AllTimeDownload - saved.TotalDownloaded >= expected, 5_000),
            $"downloaded {back.GetStatus().AllTimeDownload - saved.TotalDownloaded}, expected {expected}");
        long downloaded = back.GetStatus().AllTimeDownload - saved.TotalDownloaded;
        Assert.True(downloaded <= expected + 2 * MultiBlockContent.BlockSize, $"downloaded {downloaded}, expected {expected} (listed {listed})");
    }
}
