// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TorrentXT.Engine.Tests.Creation;

/// <summary>
/// shared/vectors/torrents: the .torrent files libtorrent 2.0.8 made, their manifest, and the
/// deterministic payloads they were made from (shared/vectors/README.md, "payload.py").
/// </summary>
internal static class CreationVectors
{
    private static readonly Lazy<JsonDocument> LazyManifest = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory(), "torrents", "manifest.json"))));

    public static JsonElement Manifest => LazyManifest.Value.RootElement;

    public static IEnumerable<JsonElement> Torrents => Manifest.GetProperty("torrents").EnumerateArray();

    public static JsonElement Torrent(string id) => Torrents.First(t => t.GetProperty("id").GetString() == id);

    public static IEnumerable<object[]> TorrentIds() => Torrents.Select(t => new object[] { t.GetProperty("id").GetString()! });

    public static byte[] TorrentFile(string id) => File.ReadAllBytes(Path.Combine(Directory(), "torrents", id + ".torrent"));

    /// <summary>block(k) = SHA-256(UTF-8(seed) || 0x00 || uint64_le(k)), concatenated and cut to <paramref name="size"/>.</summary>
    public static byte[] Payload(string seed, long size)
    {
        var result = new byte[size];
        byte[] prefix = Encoding.UTF8.GetBytes(seed);
        var input = new byte[prefix.Length + 9];
        prefix.CopyTo(input, 0);
        Span<byte> block = stackalloc byte[32];
        for (long k = 0; k * 32 < size; k++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(prefix.Length + 1), (ulong)k);
            SHA256.HashData(input, block);
            int n = (int)Math.Min(32, size - k * 32);
            block[..n].CopyTo(result.AsSpan((int)(k * 32)));
        }
        return result;
    }

    /// <summary>The torrent's non-pad files as (path relative to the save path, size, payload seed), in manifest order.</summary>
    public static List<(string Path, long Size, string Seed)> PayloadFiles(string id) =>
        Torrent(id).GetProperty("files").EnumerateArray()
            .Where(f => !f.GetProperty("pad").GetBoolean())
            .Select(f => (f.GetProperty("path").GetString()!, f.GetProperty("size").GetInt64(), f.GetProperty("payload_seed").GetString()!))
            .ToList();

    /// <summary>Writes every non-pad file of torrent <paramref name="id"/> under <paramref name="savePath"/>.</summary>
    public static void WritePayload(string id, string savePath)
    {
        foreach (var (path, size, seed) in PayloadFiles(id))
        {
            string full = Path.Combine(savePath, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, Payload(seed, size));
        }
    }

    /// <summary>
    /// Walks up to a folder holding shared/vectors: from the test binaries (in CI the clone has ../shared
    /// beside it), then from this source file (for builds with an --artifacts-path outside the tree).
    /// </summary>
    public static string Directory([CallerFilePath] string sourceFile = "")
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "vectors");
                if (System.IO.Directory.Exists(candidate)) return candidate;
            }
        }
        throw new DirectoryNotFoundException($"no 'shared/vectors' folder above {AppContext.BaseDirectory} or {sourceFile}");
    }
}

/// <summary>A temporary directory, deleted when disposed.</summary>
internal sealed class ScratchDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("txt-creation-").FullName;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
