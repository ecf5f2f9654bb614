// SPDX-License-Identifier: MIT
using TorrentXT.Native.Errors;
using Xunit;

namespace TorrentXT.Engine.Tests.Handles;

/// <summary>The exception firewall, contract §1.8, and the BTX_* codes of §1.6.</summary>
[Collection(LastErrorCollection.Name)]
public class FirewallTests
{
    [Fact]
    public void The_error_codes_are_the_headers_values()
    {
        Assert.Equal(0, BtxError.Ok);
        Assert.Equal(-1, BtxError.Generic);
        Assert.Equal(-2, BtxError.BadHandle);
        Assert.Equal(-3, BtxError.InvalidArg);
        Assert.Equal(-4, BtxError.SessionLive);
        Assert.Equal(-5, BtxError.NoSession);
        Assert.Equal(-6, BtxError.Exception);
        Assert.Equal(-7, BtxError.Abi);
    }

    [Fact]
    public void A_failing_action_returns_minus_6_with_the_libtorrent_exception_prefix()
    {
        LastError.Clear();
        int result = Firewall.Action(static () => throw new InvalidOperationException("invalid piece size"));
        Assert.Equal(BtxError.Exception, result);
        Assert.Equal("libtorrent exception: invalid piece size", LastError.Text);
        LastError.Clear();
    }

    [Fact]
    public void A_failing_getter_returns_0_and_a_failing_void_returns()
    {
        LastError.Clear();
        Assert.Equal(0, Firewall.Getter(7, static s => s / (s - 7)));
        Assert.StartsWith("libtorrent exception: ", LastError.Text);
        LastError.Clear();
        Firewall.Void(static () => throw new FormatException("boom"));
        Assert.Equal("libtorrent exception: boom", LastError.Text);
        LastError.Clear();
        Firewall.Void("x", static s => throw new ArgumentException(s));
        Assert.Equal("libtorrent exception: x", LastError.Text);
        LastError.Clear();
    }

    [Fact]
    public void Success_passes_the_value_through_and_leaves_the_last_error_alone()
    {
        LastError.Set("earlier failure");
        Assert.Equal(0, Firewall.Action(static () => BtxError.Ok));
        Assert.Equal(-3, Firewall.Action(5, static _ => BtxError.InvalidArg));
        Assert.Equal(65536, Firewall.Getter(static () => 65536));
        Assert.Equal(-40, Firewall.Getter(static () => -40));
        Firewall.Void(static () => { });
        Assert.Equal("earlier failure", LastError.Text);
        LastError.Clear();
    }

    [Fact]
    public void The_catch_helpers_serve_try_catch_bodies_with_pointer_arguments()
    {
        LastError.Clear();
        Assert.Equal(-6, Firewall.ActionFailed(new Exception("a")));
        Assert.Equal("libtorrent exception: a", LastError.Text);
        Assert.Equal(0, Firewall.GetterFailed(new Exception("b")));
        Assert.Equal("libtorrent exception: b", LastError.Text);
        Firewall.VoidFailed(new Exception("c"));
        Assert.Equal("libtorrent exception: c", LastError.Text);
        LastError.Clear();
    }

    [Fact]
    public void After_a_caught_failure_everything_keeps_working()
    {
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(-6, Firewall.Action(static () => throw new OutOfMemoryException("simulated")));
            Assert.Equal(0, Firewall.Action(static () => 0));
        }
        LastError.Clear();
    }
}
