// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using TorrentXT.Engine.Bencoding;

namespace TorrentXT.Engine.Tests.Trackers;

/// <summary>
/// A working HTTP tracker in memory over <see cref="FakeHttpTracker"/>: it keeps the peers that
/// announced (127.0.0.1 and their port), hands each the others in compact form, forgets a peer on
/// 'stopped', and answers BEP 48 scrapes. Every announce's event is logged with its port.
/// </summary>
internal sealed class MemoryTracker : IDisposable
{
    private readonly ConcurrentDictionary<int, bool> _peers = new(); // port -> seed
    public FakeHttpTracker Http { get; }
    public ConcurrentQueue<(int Port, string Event, long Left)> Log { get; } = new();
    public string Url => Http.Url();

    public MemoryTracker() => Http = new FakeHttpTracker(Answer);

    public bool Saw(int port, string ev) => Log.Any(l => l.Port == port && l.Event == ev);

    private FakeAnswer Answer(string target)
    {
        if (target.StartsWith("/scrape", StringComparison.Ordinal))
        {
            var hash = FakeHttpTracker.Query(target, "info_hash")!;
            var body = new BencodeWriter().BeginDictionary().String("files").BeginDictionary().String(hash).BeginDictionary()
                .String("complete").Integer(_peers.Count(p => p.Value)).String("downloaded").Integer(0)
                .String("incomplete").Integer(_peers.Count(p => !p.Value)).End().End().End().ToArray();
            return new FakeAnswer(200, body);
        }
        int port = int.Parse(FakeHttpTracker.QueryText(target, "port")!);
        string ev = FakeHttpTracker.QueryText(target, "event") ?? "";
        long left = long.Parse(FakeHttpTracker.QueryText(target, "left")!);
        Log.Enqueue((port, ev, left));
        if (ev == "stopped") _peers.TryRemove(port, out _);
        else _peers[port] = left == 0;
        var compact = new List<byte>();
        foreach (var p in _peers.Keys.Where(p => p != port))
            compact.AddRange(new byte[] { 127, 0, 0, 1, (byte)(p >> 8), (byte)p });
        var answer = new BencodeWriter().BeginDictionary()
            .String("complete").Integer(_peers.Count(p => p.Value))
            .String("incomplete").Integer(_peers.Count(p => !p.Value))
            .String("interval").Integer(1800).String("min interval").Integer(1)
            .String("peers").String(compact.ToArray()).End().ToArray();
        return new FakeAnswer(200, answer, "Content-Type: text/plain\r\n");
    }

    public void Dispose() => Http.Dispose();
}
