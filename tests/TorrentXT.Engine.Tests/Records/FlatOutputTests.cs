// SPDX-License-Identifier: MIT
using TorrentXT.Native.Records;
using Xunit;

namespace TorrentXT.Engine.Tests.Records;

/// <summary>The flat getter rule, contract §1.5(a) and example I of §3.6.</summary>
public class FlatOutputTests
{
    private static readonly byte[] InfoHashHex = "c37acda1891f1ecbde0e62af89ea1dd5430d1532"u8.ToArray();

    [Fact]
    public unsafe void Example_I_cap_39_returns_minus_40_and_leaves_the_buffer_untouched()
    {
        var buffer = Filled(48);
        fixed (byte* p = buffer)
            Assert.Equal(-40, FlatOutput.FlatCopy(InfoHashHex, p, 39));
        Assert.All(buffer, b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public unsafe void Example_I_cap_40_writes_40_bytes_without_a_NUL()
    {
        var buffer = Filled(48);
        fixed (byte* p = buffer)
            Assert.Equal(40, FlatOutput.FlatCopy(InfoHashHex, p, 40));
        Assert.Equal(InfoHashHex, buffer[..40]);
        Assert.All(buffer[40..], b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public unsafe void Null_output_measures_and_keeps_the_plus_need_quirk()
    {
        Assert.Equal(-40, FlatOutput.FlatCopy(InfoHashHex, null, 0));
        Assert.Equal(-40, FlatOutput.FlatCopy(InfoHashHex, null, 39));
        Assert.Equal(40, FlatOutput.FlatCopy(InfoHashHex, null, 40));   // wrote nothing, returns +need
        Assert.Equal(40, FlatOutput.FlatCopy(InfoHashHex, null, 1000));
    }

    [Fact]
    public unsafe void A_negative_capacity_is_capacity_0_and_an_empty_result_is_0()
    {
        var buffer = Filled(4);
        fixed (byte* p = buffer)
        {
            Assert.Equal(-40, FlatOutput.FlatCopy(InfoHashHex, p, -5));
            Assert.Equal(0, FlatOutput.FlatCopy([], p, 4));
            Assert.Equal(0, FlatOutput.FlatCopy([], p, -1));
            Assert.Equal(0, FlatOutput.FlatCopy([], null, 0));
        }
        Assert.All(buffer, b => Assert.Equal(0xEE, b));
    }

    private static byte[] Filled(int length)
    {
        var buffer = new byte[length];
        buffer.AsSpan().Fill(0xEE);
        return buffer;
    }
}
