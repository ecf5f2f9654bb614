// SPDX-License-Identifier: MIT
using TorrentXT.Native.Errors;
using Xunit;

namespace TorrentXT.Engine.Tests.Handles;

/// <summary>The process-global last-error string, contract §1.7.</summary>
[Collection(LastErrorCollection.Name)]
public class LastErrorTests
{
    [Fact]
    public void Set_replaces_the_whole_text_and_Clear_empties_it()
    {
        LastError.Set(ErrorText.SessionAlreadyLive);
        Assert.Equal("a session is already live; free it before opening another", LastError.Text);
        LastError.Set(ErrorText.NoLiveSession);
        Assert.Equal("no live session", LastError.Text);
        LastError.Clear();
        Assert.Equal("", LastError.Text);
        Assert.True(LastError.Current.IsEmpty);
    }

    [Fact]
    public void Texts_with_a_message_are_prefix_plus_message_in_UTF8()
    {
        LastError.Set(ErrorText.BadMagnetUriPrefix, "invalid info-hash ü");
        Assert.Equal("bad magnet URI: invalid info-hash ü"u8.ToArray(), LastError.Get());
        LastError.Clear();
    }

    [Fact]
    public unsafe void Btx_last_error_is_a_flat_getter()
    {
        LastError.Clear();
        Assert.Equal(0, LastError.CopyTo(null, 0));
        LastError.Set("bad port");
        var buffer = new byte[16];
        buffer.AsSpan().Fill(0xEE);
        fixed (byte* p = buffer)
        {
            Assert.Equal(-8, LastError.CopyTo(p, 7));
            Assert.All(buffer, b => Assert.Equal(0xEE, b));
            Assert.Equal(8, LastError.CopyTo(p, 16));
        }
        Assert.Equal("bad port"u8.ToArray(), buffer[..8]);
        Assert.Equal(0xEE, buffer[8]); // no NUL terminator
        Assert.Equal(-8, LastError.CopyTo(null, 0));
        LastError.Clear();
    }

    [Fact]
    public void A_copy_does_not_change_when_the_text_does()
    {
        LastError.Set("first");
        byte[] copy = LastError.Get();
        LastError.Set("second");
        Assert.Equal("first"u8.ToArray(), copy);
        LastError.Clear();
    }
}
