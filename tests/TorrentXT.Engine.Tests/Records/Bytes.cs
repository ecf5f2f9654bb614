// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.Tests.Records;

/// <summary>Byte strings written the way the contract prints them: space-separated hex pairs.</summary>
internal static class Bytes
{
    public static byte[] Of(string spacedHex) =>
        Convert.FromHexString(spacedHex.Replace(" ", "").Replace("\n", ""));
}
