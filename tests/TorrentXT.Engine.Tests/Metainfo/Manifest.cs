// SPDX-License-Identifier: MIT
using System.Text.Json;

namespace TorrentXT.Engine.Tests.Metainfo;

/// <summary>Read-only access to the vector manifests (JsonDocument only: no reflection serialisation).</summary>
internal static class Manifest
{
    private static readonly Lazy<JsonDocument> TorrentsDoc = new(() => Open("torrents", "manifest.json"));
    private static readonly Lazy<JsonDocument> BadDoc = new(() => Open("bad-torrents", "manifest.json"));
    private static readonly Lazy<JsonDocument> MagnetsDoc = new(() => Open("magnets.json"));

    public static JsonElement Torrents => TorrentsDoc.Value.RootElement.GetProperty("torrents");
    public static JsonElement BadCases => BadDoc.Value.RootElement.GetProperty("cases");
    public static JsonElement ExtraProbes => BadDoc.Value.RootElement.GetProperty("extra_probes");
    public static JsonElement DecodeLimits => BadDoc.Value.RootElement.GetProperty("decode_limits");
    public static JsonElement Magnets => MagnetsDoc.Value.RootElement.GetProperty("magnets");

    public static JsonElement Torrent(string id) => Find(Torrents, "id", id);
    public static JsonElement BadCase(string file) => Find(BadCases, "file", file);
    public static JsonElement Probe(string id) => Find(ExtraProbes, "id", id);
    public static JsonElement Magnet(string id) => Find(Magnets, "id", id);

    public static IEnumerable<object[]> Ids(JsonElement array, string key) =>
        array.EnumerateArray().Select(e => new object[] { e.GetProperty(key).GetString()! });

    public static string? Str(this JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static byte[] HexBytes(string hex) => Convert.FromHexString(hex);

    private static JsonElement Find(JsonElement array, string key, string value) =>
        array.EnumerateArray().First(e => e.GetProperty(key).GetString() == value);

    private static JsonDocument Open(params string[] parts) => JsonDocument.Parse(File.ReadAllBytes(Vectors.Path(parts)));
}
