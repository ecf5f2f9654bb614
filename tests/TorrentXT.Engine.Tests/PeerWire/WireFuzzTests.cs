// SPDX-License-Identifier: MIT
using System.Diagnostics;
using TorrentXT.Engine.PeerWire;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire;

/// <summary>
/// Random and mutated input never escapes as anything but <see cref="PeerWireException"/>, and the
/// reader always makes progress or asks for more. Seeded (failures reproduce) and time-bounded.
/// </summary>
public class WireFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    [Fact]
    public void Random_byte_streams_only_raise_PeerWireException()
    {
        var rng = new Random(31337);
        var clock = Stopwatch.StartNew();
        var small = new WireLimits { MaxBlockSize = 64, MaxBitfieldLength = 64, MaxExtendedLength = 64, MaxHashesLength = 49 + 64, MaxUnknownLength = 64 };
        int messages = 0, errors = 0;
        for (int i = 0; i < 20000 && clock.Elapsed < Budget; i++)
        {
            var buf = new byte[rng.Next(0, 160)];
            rng.NextBytes(buf);
            // Bias towards plausible frames: small lengths and known ids.
            if (buf.Length >= 5 && rng.Next(2) == 0)
            {
                buf[0] = buf[1] = 0;
                buf[2] = (byte)rng.Next(0, 2);
                buf[4] = (byte)rng.Next(0, 25);
            }
            var limits = rng.Next(2) == 0 ? WireLimits.Default : small;
            (int m, int e) = Drain(buf, limits);
            messages += m;
            errors += e;
        }
        Assert.True(messages > 0 && errors > 0, $"{messages} messages, {errors} errors: the generator misses a path");
    }

    [Fact]
    public void Mutated_valid_streams_only_raise_PeerWireException()
    {
        var rng = new Random(4242);
        var clock = Stopwatch.StartNew();
        var stream = WireTestMessages.Stream();
        for (int i = 0; i < 3000 && clock.Elapsed < Budget; i++)
        {
            var mutated = (byte[])stream.Clone();
            int flips = rng.Next(1, 6);
            for (int f = 0; f < flips; f++) mutated[rng.Next(mutated.Length)] = (byte)rng.Next(256);
            int cut = rng.Next(mutated.Length + 1);
            Drain(mutated.AsSpan(0, cut), WireLimits.Default);
        }
    }

    [Fact]
    public void Random_handshakes_only_raise_PeerWireException()
    {
        var rng = new Random(99);
        var good = new byte[Handshake.Length];
        Handshake.Write(good, default, new byte[20], new byte[20]);
        for (int i = 0; i < 5000; i++)
        {
            var b = (byte[])good.Clone();
            if (rng.Next(2) == 0) b[rng.Next(20)] = (byte)rng.Next(256);
            int len = rng.Next(b.Length + 1);
            try
            {
                bool done = Handshake.TryRead(b.AsSpan(0, len), out var hs, out int needed);
                Assert.Equal(!done, needed > 0);
                Assert.Equal(len == 68, done);
            }
            catch (PeerWireException) { }
        }
    }

    [Fact]
    public void Mutated_extension_payloads_only_raise_PeerWireException()
    {
        var rng = new Random(7);
        var pex = new PexMessage();
        pex.Added.Add(new(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("10.0.0.1"), 6881), PexFlags.Seed));
        pex.Added.Add(new(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("fd00::1"), 6881), PexFlags.None));
        pex.Dropped.Add(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("10.0.0.2"), 1));
        var ext = new ExtensionHandshake { ClientName = "x", ListenPort = 1, MetadataSize = 20000, YourIp = System.Net.IPAddress.Loopback };
        ext.Messages["ut_metadata"] = 2;
        byte[][] seeds =
        [
            pex.Encode(), ext.Encode(), UtMetadata.EncodeData(1, 20000, new byte[100]), UtMetadata.EncodeRequest(3), UtMetadata.EncodeReject(0),
        ];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 20000 && clock.Elapsed < Budget; i++)
        {
            var b = (byte[])seeds[i % seeds.Length].Clone();
            int flips = rng.Next(1, 4);
            for (int f = 0; f < flips; f++) b[rng.Next(b.Length)] = (byte)rng.Next(256);
            var input = b.AsMemory(0, rng.Next(b.Length + 1));
            try { ExtensionHandshake.Decode(input); } catch (PeerWireException) { }
            try { PexMessage.Decode(input); } catch (PeerWireException) { }
            try { UtMetadata.Decode(input); } catch (PeerWireException) { }
        }
    }

    /// <summary>Reads messages until the input runs out or a protocol error; returns (messages, errors).</summary>
    private static (int Messages, int Errors) Drain(ReadOnlySpan<byte> input, WireLimits limits)
    {
        int messages = 0, offset = 0;
        try
        {
            while (true)
            {
                var r = MessageReader.TryRead(input[offset..], limits, out _);
                if (!r.HasMessage)
                {
                    Assert.True(r.Needed > 0);
                    return (messages, 0);
                }
                offset += r.Consumed;
                messages++;
            }
        }
        catch (PeerWireException)
        {
            return (messages, 1);
        }
    }
}
