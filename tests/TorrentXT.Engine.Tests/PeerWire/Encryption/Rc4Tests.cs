// SPDX-License-Identifier: MIT
using System.Diagnostics;
using TorrentXT.Engine.PeerWire.Encryption;
using Xunit;
using Xunit.Abstractions;

namespace TorrentXT.Engine.Tests.PeerWire.Encryption;

public class Rc4Tests(ITestOutputHelper output)
{
    // The classic published RC4 test vectors (no keystream discarded).
    [Theory]
    [InlineData("Key", "Plaintext", "bbf316e8d940af0ad3")]
    [InlineData("Wiki", "pedia", "1021bf0420")]
    [InlineData("Secret", "Attack at dawn", "45a01f645fc35b383552544b9bf5")]
    public void Known_vectors(string key, string plaintext, string cipherHex)
    {
        var data = System.Text.Encoding.ASCII.GetBytes(plaintext);
        new Rc4(System.Text.Encoding.ASCII.GetBytes(key), discard: 0).Process(data);
        Assert.Equal(cipherHex, Convert.ToHexStringLower(data));
        new Rc4(System.Text.Encoding.ASCII.GetBytes(key), discard: 0).Process(data);
        Assert.Equal(plaintext, System.Text.Encoding.ASCII.GetString(data));
    }

    [Fact]
    public void The_mse_cipher_starts_1024_bytes_into_the_keystream()
    {
        var key = Convert.FromHexString("00112233445566778899aabbccddeeff00112233");
        var full = new byte[1024 + 100];
        new Rc4(key, discard: 0).Process(full);
        var mse = new byte[100];
        new Rc4(key).Process(mse);
        Assert.Equal(full.AsSpan(1024).ToArray(), mse);
    }

    [Fact]
    public void Pieces_of_any_size_give_the_same_stream_as_one_call()
    {
        var key = "0123456789abcdefghij"u8.ToArray();
        var data = new byte[10_000];
        new Random(5).NextBytes(data);
        var whole = data.ToArray();
        new Rc4(key).Process(whole);
        var pieces = data.ToArray();
        var rc4 = new Rc4(key);
        var rnd = new Random(6);
        for (int at = 0; at < pieces.Length;)
        {
            int n = Math.Min(rnd.Next(0, 700), pieces.Length - at);
            rc4.Process(pieces.AsSpan(at, n));
            at += n;
        }
        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void Throughput_is_reported_and_encrypting_allocates_nothing()
    {
        var rc4 = new Rc4("0123456789abcdefghij"u8);
        var buffer = new byte[1 << 20];
        rc4.Process(buffer); // warm up (tiering)
        const int rounds = 128;
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < rounds; i++) rc4.Process(buffer);
        var elapsed = Stopwatch.GetElapsedTime(start);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        double mbps = rounds * (double)buffer.Length / (1 << 20) / elapsed.TotalSeconds;
        output.WriteLine($"RC4: {rounds} MiB in {elapsed.TotalMilliseconds:F0} ms = {mbps:F0} MiB/s");
        Console.WriteLine($"RC4 throughput: {mbps:F0} MiB/s");
        Assert.Equal(0, allocated);
    }
}
