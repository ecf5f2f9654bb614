// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using TorrentXT.Engine.Tests.Support;

namespace TorrentXT.Engine.Tests.Trackers;

/// <summary>One scripted HTTP answer: status, extra header lines, body, and an optional stall.</summary>
internal sealed record FakeAnswer(int Status, byte[] Body, string Headers = "Content-Type: text/plain\r\n", int StallMs = 0, bool Hang = false);

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1:0 for tracker tests: every request's target is recorded
/// and answered by the script, one connection at a time per client, closed after each answer.
/// </summary>
internal sealed class FakeHttpTracker : LoopbackTcpServer
{
    private readonly Func<string, FakeAnswer> _script;

    public ConcurrentQueue<string> Requests { get; } = new();
    public ConcurrentQueue<string> UserAgents { get; } = new();
    public string Url(string path = "/announce") => $"http://127.0.0.1:{Port}{path}";

    public FakeHttpTracker(Func<string, FakeAnswer> script)
    {
        _script = script;
        StartAccepting();
    }

    protected override async Task ServeAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, Stopping) == 0) return;
            head.Append((char)one[0]);
        }
        var lines = head.ToString().Split("\r\n");
        string target = lines[0].Split(' ')[1];
        Requests.Enqueue(target);
        UserAgents.Enqueue(lines.FirstOrDefault(l => l.StartsWith("User-Agent:", StringComparison.OrdinalIgnoreCase))?[11..].Trim() ?? "");
        var a = _script(target);
        if (a.Hang) { await Task.Delay(Timeout.Infinite, Stopping); return; }
        if (a.StallMs > 0) await Task.Delay(a.StallMs, Stopping);
        var header = $"HTTP/1.1 {a.Status} X\r\nContent-Length: {a.Body.Length}\r\nConnection: close\r\n{a.Headers}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(header), Stopping);
        await stream.WriteAsync(a.Body, Stopping);
    }

    /// <summary>The decoded value of one query parameter of a recorded request target, as raw bytes.</summary>
    public static byte[]? Query(string target, string name)
    {
        int q = target.IndexOf('?');
        if (q < 0) return null;
        foreach (var part in target[(q + 1)..].Split('&'))
        {
            int eq = part.IndexOf('=');
            if (eq > 0 && part[..eq] == name) return WebUtility.UrlDecodeToBytes(Encoding.ASCII.GetBytes(part[(eq + 1)..]), 0, part.Length - eq - 1);
        }
        return null;
    }

    public static string? QueryText(string target, string name) => Query(target, name) is { } b ? Encoding.UTF8.GetString(b) : null;
}
