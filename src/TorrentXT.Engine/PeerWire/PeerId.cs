// SPDX-License-Identifier: MIT
using System.Security.Cryptography;

namespace TorrentXT.Engine.PeerWire;

/// <summary>
/// Our 20-byte peer id (BEP 20, Azureus style): "-TX" + one character per version component + "-",
/// then 12 random characters.
/// </summary>
public static class PeerId
{
    public const int Length = 20;
    /// <summary>The two-letter client code BEP 20 assigns to this engine.</summary>
    public const string ClientCode = "TX";
    public const int VersionMajor = 0, VersionMinor = 1, VersionRevision = 0, VersionTag = 0;

    /// <summary>
    /// "-TX0100-": 0.1.0 in the Azureus convention (major, minor, revision, tag; one digit each), the
    /// same string libtorrent's generate_fingerprint("TX", 0, 1, 0, 0) gives.
    /// </summary>
    public const string Prefix = "-TX0100-";

    /// <summary>
    /// The random part uses URL-unreserved characters only, so the id needs no escaping in a tracker
    /// announce (libtorrent does the same).
    /// </summary>
    private static ReadOnlySpan<byte> RandomAlphabet => "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"u8;

    /// <summary>libtorrent's generate_fingerprint: "-" + code + one character per component + "-".</summary>
    public static string Fingerprint(string code, int major, int minor, int revision, int tag)
    {
        if (code.Length != 2) throw new ArgumentException("a client code is two characters", nameof(code));
        return $"-{code}{VersionChar(major)}{VersionChar(minor)}{VersionChar(revision)}{VersionChar(tag)}-";
    }

    /// <summary>A new peer id with a cryptographically random tail.</summary>
    public static byte[] Generate() => Generate(b => RandomNumberGenerator.Fill(b));

    /// <summary>A new peer id whose tail comes from <paramref name="random"/> (seed it in tests).</summary>
    public static byte[] Generate(Random random) => Generate(random.NextBytes);

    private static byte[] Generate(Action<byte[]> fill)
    {
        var id = new byte[Length];
        for (int i = 0; i < Prefix.Length; i++) id[i] = (byte)Prefix[i];
        var tail = new byte[Length - Prefix.Length];
        fill(tail);
        // 64 characters divide 256 evenly, so taking the low 6 bits keeps the choice uniform.
        for (int i = 0; i < tail.Length; i++) id[Prefix.Length + i] = RandomAlphabet[tail[i] & 63];
        return id;
    }

    private static char VersionChar(int v) => v switch
    {
        >= 0 and < 10 => (char)('0' + v),
        >= 10 and < 36 => (char)('A' + v - 10),
        _ => throw new ArgumentOutOfRangeException(nameof(v), v, "a version component is 0..35"),
    };
}
