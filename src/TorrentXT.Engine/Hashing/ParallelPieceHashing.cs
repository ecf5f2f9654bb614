// SPDX-License-Identifier: MIT
using System.Runtime.ExceptionServices;

namespace TorrentXT.Engine.Hashing;

/// <summary>
/// Hashes every piece of a <see cref="PieceSpace"/> on several threads. Work is handed out in runs of
/// pieces of about <see cref="PieceStreamHasher.ReadSize"/> bytes, claimed in order, so the files are
/// read nearly sequentially while memory stays at one read buffer per worker.
/// </summary>
internal static class ParallelPieceHashing
{
    /// <summary>
    /// Runs the hashing. With <paramref name="stopOnError"/> the first read failure stops every worker
    /// and is returned as its text; otherwise unreadable data only marks pieces incomplete and the
    /// result is null. Cancellation stops the workers and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static string? Run(PieceSpace space, bool v1, bool v2, IPieceHashSink sink, int parallelism,
        bool stopOnError, CancellationToken ct)
    {
        if (space.PieceCount == 0) return null;
        int piecesPerRun = (int)Math.Max(1, PieceStreamHasher.ReadSize / space.PieceLength);
        int runs = (int)((space.PieceCount + (long)piecesPerRun - 1) / piecesPerRun);
        int workers = Math.Clamp(parallelism, 1, runs);

        int next = -1;
        int stop = 0;
        string? failure = null;
        ExceptionDispatchInfo? crash = null;

        void Work()
        {
            try
            {
                using var hasher = new PieceStreamHasher(space, v1, v2);
                int run;
                while (Volatile.Read(ref stop) == 0 && !ct.IsCancellationRequested
                       && (run = Interlocked.Increment(ref next)) < runs)
                {
                    int first = run * piecesPerRun;
                    int end = (int)Math.Min((long)first + piecesPerRun, space.PieceCount);
                    if (!hasher.HashPieces(first, end, sink, stopOnError))
                    {
                        Interlocked.CompareExchange(ref failure, hasher.LastError ?? "read failed", null);
                        Volatile.Write(ref stop, 1);
                    }
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref crash, ExceptionDispatchInfo.Capture(e), null);
                Volatile.Write(ref stop, 1);
            }
        }

        var threads = new Thread[workers - 1];
        for (int i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(Work) { IsBackground = true, Name = "torrentxt-hash" };
            threads[i].Start();
        }
        Work();
        foreach (var t in threads) t.Join();

        crash?.Throw();
        ct.ThrowIfCancellationRequested();
        return failure;
    }
}
