// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using System.Text;
using TorrentXT.Engine.Tests.Support;

namespace TorrentXT.Engine.Tests.WebSeeds;

/// <summary>
/// A small HTTP/1.1 file server on 127.0.0.1:0 with single byte-range support (206), for web seed
/// tests. <see cref="FailAfter"/> makes every request after that many answer 500.
/// </summary>
internal sealed class RangeServer : LoopbackTcpServer
{
    private readonly string _root;
    private int _requests;

    public int FailAfter { get; set; } = int.MaxValue;
    public int Requests => Volatile.Read(ref _requests);
    public string Url => $"http://127.0.0.1:{Port}/";

    public RangeServer(string root)
    {
        _root = root;
        StartAccepting();
    }

    protected override async Task ServeAsync(NetworkStream stream)
    {
        var reader = new StreamReader(stream, Encoding.ASCII);
        while (true)
        {
            string? first = await reader.ReadLineAsync(Stopping);
            if (string.IsNullOrEmpty(first)) return;
            string? range = null, line;
            while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(Stopping)))
                if (line.StartsWith("Range:", StringComparison.OrdinalIgnoreCase)) range = line[6..].Trim();
            int n = Interlocked.Increment(ref _requests);
            string path = Path.Combine(_root, Uri.UnescapeDataString(first.Split(' ')[1].TrimStart('/')));
            if (n > FailAfter) { await Write(stream, "500 Broken", Array.Empty<byte>(), ""); continue; }
            if (!File.Exists(path)) { await Write(stream, "404 Not Found", Array.Empty<byte>(), ""); continue; }
            var all = await File.ReadAllBytesAsync(path, Stopping);
            if (range is null) { await Write(stream, "200 OK", all, ""); continue; }
            var parts = range["bytes=".Length..].Split('-');
            long a = long.Parse(parts[0]), b = long.Parse(parts[1]);
            await Write(stream, "206 Partial Content", all.AsSpan((int)a, (int)(b - a + 1)).ToArray(), $"Content-Range: bytes {a}-{b}/{all.Length}\r\n");
        }
    }

    private async Task Write(NetworkStream s, string status, byte[] body, string headers)
    {
        await s.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: {body.Length}\r\n{headers}\r\n"), Stopping);
        await s.WriteAsync(body, Stopping);
    }
}
