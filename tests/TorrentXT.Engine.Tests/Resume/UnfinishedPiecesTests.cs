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
    }
}
