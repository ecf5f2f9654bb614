// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Tests.Creation;

namespace TorrentXT.Engine.Tests.Session;

/// <summary>The vector torrents, their deterministic payloads, and a bounded wait.</summary>
internal static class TestTorrents
{
    public static TorrentInfo Load(string id) => TorrentInfo.Load(CreationVectors.TorrentFile(id));

    public static void WritePayload(string id, string savePath) => CreationVectors.WritePayload(id, savePath);

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
