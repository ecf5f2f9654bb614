// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorrentXT.Engine.Metainfo;

namespace TorrentXT.Engine.Tests.Session;

/// <summary>The vector torrents and their deterministic payloads (shared/vectors/README.md).</summary>
internal static class TestTorrents
{
    public static TorrentInfo Load(string id) =>
        TorrentInfo.Load(File.ReadAllBytes(Metainfo.Vectors.Path("torrents", id + ".torrent")));

    /// <summary>Writes every non-pad file of vector <paramref name="id"/> under <paramref name="savePath"/>.</summary>
    public static void WritePayload(string id, string savePath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Metainfo.Vectors.Path("torrents", "manifest.json")));
        var entry = doc.RootElement.GetProperty("torrents").EnumerateArray().First(t => t.GetProperty("id").GetString() == id);
        foreach (var file in entry.GetProperty("files").EnumerateArray())
        {
            if (file.GetProperty("pad").GetBoolean()) continue;
            string path = Path.Combine(savePath, file.GetProperty("path").GetString()!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, Payload(file.GetProperty("payload_seed").GetString()!, file.GetProperty("size").GetInt64()));
        }
    }

    /// <summary>block(k) = SHA-256(UTF-8(seed) || 0x00 || uint64_le(k)), concatenated and truncated.</summary>
    public static byte[] Payload(string seed, long size)
    {
        var result = new byte[size];
        byte[] prefix = Encoding.UTF8.GetBytes(seed);
        var input = new byte[prefix.Length + 9];
        prefix.CopyTo(input, 0);
        for (long k = 0; k * 32 < size; k++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(prefix.Length + 1), (ulong)k);
            var block = SHA256.HashData(input);
            int n = (int)Math.Min(32, size - k * 32);
            block.AsSpan(0, n).CopyTo(result.AsSpan((int)(k * 32)));
        }
        return result;
    }

    public static bool WaitUntil(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            if (condition()) return true;
            Thread.Sleep(10);
        }
        return condition();
    }
}

/// <summary>A temporary directory removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("txt-test-").FullName;
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
