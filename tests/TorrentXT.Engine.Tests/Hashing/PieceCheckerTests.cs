// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using TorrentXT.Engine.Hashing;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Tests.Creation;
using Xunit;

namespace TorrentXT.Engine.Tests.Hashing;

/// <summary>
/// Checking a torrent's data on disk: every piece's v1 SHA-1 and/or v2 merkle node must hold; pad
/// bytes are zeros that are never on disk; missing, short or altered files fail exactly the pieces
/// whose bytes they hold.
/// </summary>
public sealed class PieceCheckerTests
{
    public static IEnumerable<object[]> Ids() => CreationVectors.TorrentIds();

    [Theory]
    [MemberData(nameof(Ids))]
    public void Complete_data_passes_every_piece(string id)
    {
        using var dir = new ScratchDir();
        CreationVectors.WritePayload(id, dir.Path);
        var checker = new PieceChecker(Load(id), dir.Path);

        Assert.Equal(Enumerable.Range(0, checker.PieceCount), CheckAll(checker, 2).Where(p => p.Value).Select(p => p.Key));
        Assert.All(Enumerable.Range(0, checker.PieceCount), p => Assert.True(VerifyOne(checker, p), $"piece {p}"));
    }

    [Fact]
    public void The_have_set_is_libtorrents_for_a_missing_file_and_a_flipped_byte()
    {
        // shared/vectors resume/partial.resume: libtorrent's own full check of this damage gave these pieces.
        using var dir = new ScratchDir();
        CreationVectors.WritePayload("hybrid_multi", dir.Path);
        File.Delete(dir["hybrid_multi/b/z.bin"]);
        Flip(dir["hybrid_multi/a/big.bin"], 2 * 16384 + 100);
        var checker = new PieceChecker(Load("hybrid_multi"), dir.Path);

        int[] have = [0, 1, 2, 4, 5, 6, 7, 8, 12];
        Assert.Equal(have, Passed(CheckAll(checker, 2)));
        Assert.Equal(have, Enumerable.Range(0, checker.PieceCount).Where(p => VerifyOne(checker, p)));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void A_missing_file_fails_exactly_the_pieces_it_touches(string id)
    {
        var info = Load(id);
        var victim = Largest(info);
        using var dir = new ScratchDir();
        CreationVectors.WritePayload(id, dir.Path);
        File.Delete(Path.Combine(dir.Path, victim.Path));
        var checker = new PieceChecker(info, dir.Path);

        var failing = PiecesOf(info, victim.Offset, victim.Offset + victim.Size);
        Assert.Equal(AllBut(checker.PieceCount, failing), Passed(CheckAll(checker, 2)));
        Assert.Equal(AllBut(checker.PieceCount, failing), Enumerable.Range(0, checker.PieceCount).Where(p => VerifyOne(checker, p)));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void A_truncated_file_fails_the_pieces_past_its_new_end(string id)
    {
        var info = Load(id);
        var victim = Largest(info);
        long keep = victim.Size / 2;
        using var dir = new ScratchDir();
        CreationVectors.WritePayload(id, dir.Path);
        using (var f = File.OpenWrite(Path.Combine(dir.Path, victim.Path))) f.SetLength(keep);
        var checker = new PieceChecker(info, dir.Path);

        var failing = PiecesOf(info, victim.Offset + keep, victim.Offset + victim.Size);
        Assert.Equal(AllBut(checker.PieceCount, failing), Passed(CheckAll(checker, 2)));
    }

    [Theory]
    [InlineData("v2_multi")]     // v2 only: the merkle check alone must catch it
    [InlineData("v1_multi")]     // v1 only, pieces spanning files
    [InlineData("hybrid_notail")]
    public void A_flipped_byte_fails_only_its_piece(string id)
    {
        var info = Load(id);
        foreach (var file in info.Files.Files.Where(f => !f.IsPad && f.Size > 0))
        {
            foreach (long at in new[] { 0, file.Size / 2, file.Size - 1 })
            {
                using var dir = new ScratchDir();
                CreationVectors.WritePayload(id, dir.Path);
                Flip(Path.Combine(dir.Path, file.Path), at);
                var checker = new PieceChecker(info, dir.Path);

                int piece = (int)((file.Offset + at) / info.Files.PieceLength);
                Assert.Equal(AllBut(checker.PieceCount, [piece]), Passed(CheckAll(checker, 3)));
                Assert.False(VerifyOne(checker, piece));
            }
        }
    }

    [Fact]
    public void Each_piece_is_reported_once()
    {
        using var dir = new ScratchDir();
        CreationVectors.WritePayload("v1_single", dir.Path);
        var checker = new PieceChecker(Load("v1_single"), dir.Path);
        var counts = new int[checker.PieceCount];

        checker.CheckAll((p, _) => Interlocked.Increment(ref counts[p]), 4, CancellationToken.None);

        Assert.All(counts, c => Assert.Equal(1, c));
    }

    [Fact]
    public void A_cancelled_check_throws()
    {
        using var dir = new ScratchDir();
        CreationVectors.WritePayload("v1_single", dir.Path);
        var checker = new PieceChecker(Load("v1_single"), dir.Path);

        Assert.Throws<OperationCanceledException>(() => checker.CheckAll((_, _) => { }, 2, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Scratch_must_hold_the_piece()
    {
        var checker = new PieceChecker(Load("v1_single"), Path.GetTempPath());
        Assert.Throws<ArgumentException>(() => checker.VerifyPiece(0, new byte[100]));
    }

    private static TorrentInfo Load(string id) => TorrentInfo.Load(CreationVectors.TorrentFile(id));

    private static TorrentFile Largest(TorrentInfo info) =>
        info.Files.Files.Where(f => !f.IsPad).OrderByDescending(f => f.Size).First();

    private static Dictionary<int, bool> CheckAll(PieceChecker checker, int parallelism)
    {
        var results = new ConcurrentDictionary<int, bool>();
        checker.CheckAll((p, ok) => Assert.True(results.TryAdd(p, ok)), parallelism, CancellationToken.None);
        Assert.Equal(checker.PieceCount, results.Count);
        return results.OrderBy(p => p.Key).ToDictionary();
    }

    private static bool VerifyOne(PieceChecker checker, int piece) => checker.VerifyPiece(piece, new byte[4 * 1024 * 1024]);

    private static int[] Passed(Dictionary<int, bool> results) => results.Where(p => p.Value).Select(p => p.Key).ToArray();

    private static int[] PiecesOf(TorrentInfo info, long start, long end) =>
        start >= end ? [] : Enumerable.Range((int)(start / info.Files.PieceLength),
            (int)((end - 1) / info.Files.PieceLength - start / info.Files.PieceLength + 1)).ToArray();

    private static int[] AllBut(int count, int[] failing) => Enumerable.Range(0, count).Except(failing).ToArray();

    private static void Flip(string path, long at)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        f.Position = at;
        int b = f.ReadByte();
        f.Position = at;
        f.WriteByte((byte)(b ^ 0xFF));
    }
}
