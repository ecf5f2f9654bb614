// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using TorrentXT.Engine.PeerWire;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>
/// ClientIdentity against lt.identify_client itself, on thousands of generated peer ids shaped to
/// reach every branch (Azureus, shadow, mainline, the fixed patterns, zeros, noise). Seeded.
/// </summary>
public class ClientIdentityCrossCheckTests
{
    private const int Count = 4000;

    [LibtorrentFact]
    public void Generated_ids_get_libtorrents_names()
    {
        var rng = new Random(2080);
        var ids = Enumerable.Range(0, Count).Select(_ => Generate(rng)).ToList();
        var theirs = AskLibtorrent(ids);
        Assert.Equal(ids.Count, theirs.Count);
        int compared = 0;
        var mismatches = new List<string>();
        for (int i = 0; i < ids.Count; i++)
        {
            string ours = ClientIdentity.Identify(ids[i]);
            if (theirs[i] is null || ours.StartsWith("TorrentXT ", StringComparison.Ordinal)) continue; // non-UTF-8 answer; our own code
            compared++;
            if (ours != theirs[i]) mismatches.Add($"{Convert.ToHexStringLower(ids[i])}: ours \"{ours}\", libtorrent \"{theirs[i]}\"");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(20)));
        Assert.True(compared > Count * 3 / 4, $"only {compared} comparable answers");
    }

    private static List<string?> AskLibtorrent(List<byte[]> ids)
    {
        var psi = new ProcessStartInfo(LibtorrentProbe.Python)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(LibtorrentProbe.ScriptPath());
        psi.ArgumentList.Add("identify");
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        foreach (var id in ids) p.StandardInput.WriteLine(Convert.ToHexStringLower(id));
        p.StandardInput.Close();
        if (!p.WaitForExit(60_000))
        {
            p.Kill();
            throw new TimeoutException("identify did not finish within 60 s");
        }
        Assert.True(p.ExitCode == 0, errors.Result);
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement is var e && e.ValueKind == JsonValueKind.Null ? null : e.GetString())
            .ToList();
    }

    private static readonly byte[] VersionChars = Encoding.ASCII.GetBytes("0123456789ABCDEFZaz~/ :-+\t");

    private static byte[] Generate(Random rng)
    {
        var id = new byte[20];
        // Background: printable text, zeros or arbitrary bytes.
        int background = rng.Next(3);
        for (int i = 0; i < 20; i++)
            id[i] = background switch { 0 => (byte)rng.Next(32, 127), 1 => 0, _ => (byte)rng.Next(256) };
        byte Pick(byte[] set) => set[rng.Next(set.Length)];
        switch (rng.Next(7))
        {
            case 0: // Azureus: -XY1234-
                id[0] = (byte)'-';
                var code = rng.Next(2) == 0 ? ClientNames.ByCode.Keys.Where(k => k.Length == 2).ElementAt(rng.Next(90)) : null;
                id[1] = code is null ? (byte)rng.Next(30, 128) : (byte)code[0];
                id[2] = code is null ? (byte)rng.Next(40, 200) : (byte)code[1];
                for (int i = 3; i <= 6; i++) id[i] = Pick(VersionChars);
                id[7] = rng.Next(8) == 0 ? (byte)'x' : (byte)'-';
                break;
            case 1: // shadow: S58B-- or S + raw bytes with a zero at [8]
                id[0] = Pick("ABMOQRSTUZa1"u8.ToArray());
                if (rng.Next(2) == 0)
                {
                    for (int i = 1; i <= 3; i++) id[i] = Pick(VersionChars);
                    id[4] = id[5] = (byte)'-';
                }
                else
                {
                    for (int i = 1; i <= 3; i++) id[i] = (byte)rng.Next(0, 140);
                    id[8] = rng.Next(4) == 0 ? (byte)1 : (byte)0;
                }
                break;
            case 2: // mainline: M7-2-0-- with sscanf's corner cases
                id[0] = Pick("MmQA\t "u8.ToArray());
                for (int i = 1; i < 12; i++) id[i] = Pick("0123456789---- +\0"u8.ToArray());
                break;
            case 3: // a fixed pattern at its offset
                var (offset, pattern, _) = ClientNames.Generic[rng.Next(ClientNames.Generic.Length)];
                pattern.CopyTo(id, offset);
                if (rng.Next(3) == 0) id[offset + rng.Next(pattern.Length)] ^= 0x20;
                break;
            case 4: // twelve zeros and a marker
                Array.Clear(id, 0, 12);
                id[12] = Pick([0x97, 0, 1]);
                break;
            case 5: // -BOW / eX
                ("-BOW123-"u8.ToArray()).CopyTo(id, 0);
                if (rng.Next(2) == 0) { id[0] = (byte)'e'; id[1] = (byte)'X'; }
                if (rng.Next(3) == 0) id[7] = (byte)'x';
                break;
            default: // noise
                break;
        }
        return id;
    }
}
