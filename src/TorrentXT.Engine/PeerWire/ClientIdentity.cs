// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;

namespace TorrentXT.Engine.PeerWire;

/// <summary>
/// Turns a 20-byte peer id into a client name the way libtorrent 2.0.8's identify_client does
/// ("-LT2080-" gives "libtorrent 2.0.8", "M7-2-0--" "Mainline 7.2.0", an unrecognisable id
/// "Unknown [...]"), so peer lists read the same as with the original. The one difference: our own
/// "-TX" code reads "TorrentXT" where libtorrent would say "TX". Results are byte-for-byte
/// libtorrent's, decoded as UTF-8 (a raw non-UTF-8 byte, possible in odd ids, becomes U+FFFD).
/// </summary>
public static class ClientIdentity
{
    private readonly record struct Fingerprint(byte Name0, byte Name1, int Major, int Minor, int Revision, int Tag);

    public static string Identify(ReadOnlySpan<byte> peerId)
    {
        if (peerId.Length != PeerId.Length) throw new ArgumentException("a peer id is 20 bytes", nameof(peerId));
        if (!peerId.ContainsAnyExcept((byte)0)) return "Unknown";

        foreach (var (offset, pattern, name) in ClientNames.Generic)
            if (peerId[offset..].StartsWith(pattern)) return name;

        if (peerId.StartsWith("-BOW"u8) && peerId[7] == '-') return "Bits on Wheels " + Raw(peerId[4..7]);
        if (peerId.StartsWith("eX"u8)) return "eXeem ('" + Raw(peerId.Slice(2, 12)) + "')";

        bool twelveZeros = !peerId[..12].ContainsAnyExcept((byte)0);
        if (twelveZeros && peerId[12] == 0x97) return "Experimental 3.2.1b2";
        if (twelveZeros && peerId[12] == 0) return "Experimental 3.1";

        if (TryAzureus(peerId, out var f) || TryShadow(peerId, out f) || TryMainline(peerId, out f)) return Describe(f);
        if (twelveZeros) return "Generic";

        var sb = new StringBuilder("Unknown [", 30);
        foreach (byte b in peerId) sb.Append(IsPrint(b) ? (char)b : '.');
        return sb.Append(']').ToString();
    }

    /// <summary>"-" + two characters + four version characters + "-".</summary>
    private static bool TryAzureus(ReadOnlySpan<byte> id, out Fingerprint f)
    {
        f = default;
        if (id[0] != '-' || !IsPrint(id[1]) || id[7] != '-') return false;
        for (int i = 2; i <= 6; i++) if (id[i] < '0') return false;
        f = new Fingerprint(id[1], id[2], Digit(id[3]), Digit(id[4]), Digit(id[5]), Digit(id[6]));
        return true;
    }

    /// <summary>A letter or digit, then either three version characters and "--", or three raw bytes and a zero at [8].</summary>
    private static bool TryShadow(ReadOnlySpan<byte> id, out Fingerprint f)
    {
        f = default;
        if (!char.IsAsciiLetterOrDigit((char)id[0])) return false;
        if (id[4] == '-' && id[5] == '-')
        {
            if (id[1] < '0' || id[2] < '0' || id[3] < '0') return false;
            f = new Fingerprint(id[0], 0, Digit(id[1]), Digit(id[2]), Digit(id[3]), 0);
            return true;
        }
        if (id[8] != 0 || id[1] > 127 || id[2] > 127 || id[3] > 127) return false;
        f = new Fingerprint(id[0], 0, id[1], id[2], id[3], 0);
        return true;
    }

    /// <summary>
    /// One printable character and three numbers separated by '-', read with the leniency of C's
    /// sscanf("%1c%3d-%3d-%3d--"): each number may be preceded by white space and a sign and has at
    /// most three characters; the trailing "--" is not required; the id ends at its first zero byte.
    /// </summary>
    private static bool TryMainline(ReadOnlySpan<byte> id, out Fingerprint f)
    {
        f = default;
        int end = id.IndexOf((byte)0);
        var s = end < 0 ? id : id[..end];
        if (s.Length == 0 || !IsPrint(s[0])) return false;
        int pos = 1;
        if (!ScanInt(s, ref pos, out int major) || !Dash(s, ref pos)
            || !ScanInt(s, ref pos, out int minor) || !Dash(s, ref pos)
            || !ScanInt(s, ref pos, out int revision))
            return false;
        f = new Fingerprint(s[0], 0, major, minor, revision, 0);
        return true;

        static bool Dash(ReadOnlySpan<byte> s, ref int pos) => pos < s.Length && s[pos++] == '-';
    }

    /// <summary>sscanf's %3d: skip white space, then up to 3 characters of [sign] digits, at least one digit.</summary>
    private static bool ScanInt(ReadOnlySpan<byte> s, ref int pos, out int value)
    {
        value = 0;
        while (pos < s.Length && s[pos] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r') pos++;
        int width = 3;
        bool negative = false;
        if (pos < s.Length && s[pos] is (byte)'+' or (byte)'-')
        {
            negative = s[pos] == '-';
            pos++;
            width--;
        }
        int digits = 0;
        while (width > 0 && pos < s.Length && char.IsAsciiDigit((char)s[pos]))
        {
            value = value * 10 + (s[pos] - '0');
            pos++;
            width--;
            digits++;
        }
        if (negative) value = -value;
        return digits > 0;
    }

    private static string Describe(Fingerprint f)
    {
        var bytes = new List<byte>(48);
        if (f.Name1 != 0 ? ClientNames.ByCode.TryGetValue(string.Create(2, f, static (c, x) => { c[0] = (char)x.Name0; c[1] = (char)x.Name1; }), out var known)
                         : ClientNames.ByCode.TryGetValue(((char)f.Name0).ToString(), out known))
            bytes.AddRange(Encoding.UTF8.GetBytes(known));
        else
        {
            // An unknown client is shown by its code, exactly as sent.
            bytes.Add(f.Name0);
            if (f.Name1 != 0) bytes.Add(f.Name1);
        }
        string version = string.Create(CultureInfo.InvariantCulture, $" {f.Major}.{f.Minor}.{f.Revision}");
        if (f.Tag != 0) version += string.Create(CultureInfo.InvariantCulture, $".{f.Tag}");
        bytes.AddRange(Encoding.ASCII.GetBytes(version));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Azureus/shadow version character: '0'-'9' are 0-9, anything else counts from 'A' = 10.</summary>
    private static int Digit(byte c) => c is >= (byte)'0' and <= (byte)'9' ? c - '0' : c - 'A' + 10;

    private static bool IsPrint(byte c) => c is >= 32 and < 127;

    private static string Raw(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
