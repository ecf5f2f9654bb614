// SPDX-License-Identifier: MIT
using System.Runtime.CompilerServices;
using System.Text.Json;
using Xunit;

namespace TorrentXT.Engine.Tests.Dht;

/// <summary>Loads /work/shared/vectors/bep44.json (libtorrent 2.0.8's own BEP 44 output).</summary>
internal static class Bep44VectorFile
{
    private static readonly Lazy<JsonDocument> s_document = new(Load);

    public static JsonElement Root => s_document.Value.RootElement;

    public static JsonElement Published => Root.GetProperty("published");
    public static JsonElement Keys => Root.GetProperty("libtorrent_ed25519").GetProperty("keys");
    public static JsonElement MutableItems => Root.GetProperty("libtorrent_ed25519").GetProperty("mutable_items");
    public static JsonElement ImmutableItems => Root.GetProperty("immutable_items");

    public static TheoryData<int> Indexes(JsonElement array)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < array.GetArrayLength(); i++)
            data.Add(i);
        return data;
    }

    public static byte[] Hex(JsonElement element, string property) => Convert.FromHexString(element.GetProperty(property).GetString()!);

    private static JsonDocument Load()
    {
        string path = Path.Combine(FindVectorsDirectory(), "bep44.json");
        return JsonDocument.Parse(File.ReadAllBytes(path));
    }

    /// <summary>
    /// Walks up to a folder containing shared/vectors: from the test binaries (in CI the repo clone has ../shared
    /// beside it), then from this source file (for builds with an --artifacts-path outside the tree).
    /// </summary>
    private static string FindVectorsDirectory([CallerFilePath] string sourceFile = "")
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (DirectoryInfo? dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "vectors");
                if (Directory.Exists(candidate))
                    return candidate;
            }
        }
        throw new DirectoryNotFoundException($"no 'shared/vectors' folder above {AppContext.BaseDirectory} or {sourceFile}");
    }
}
