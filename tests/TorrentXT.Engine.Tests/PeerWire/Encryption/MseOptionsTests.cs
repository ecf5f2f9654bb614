// SPDX-License-Identifier: MIT
using TorrentXT.Engine.PeerWire.Encryption;
using Xunit;

namespace TorrentXT.Engine.Tests.PeerWire.Encryption;

/// <summary>How the settings become decisions, libtorrent's way.</summary>
public class MseOptionsTests
{
    [Fact]
    public void Libtorrent_values_map_to_policies_and_methods()
    {
        var o = MseOptions.FromSettings(0, 2, 2, false);
        Assert.Equal(EncryptionPolicy.Forced, o.Incoming);
        Assert.Equal(EncryptionPolicy.Disabled, o.Outgoing);
        Assert.Equal(CryptoMethods.Rc4, o.Allowed);
        Assert.Equal(MseOptions.Default, MseOptions.FromSettings(1, 1, 3, false));
    }

    [Fact]
    public void Out_of_range_values_behave_as_libtorrent_reads_them()
    {
        // btx_set_encryption_policy stores 7, 9, 99 unchecked: libtorrent then accepts both kinds
        // of incoming connection, dials plaintext, and 99 & 3 allows both methods.
        var o = MseOptions.FromSettings(7, 9, 99, false);
        Assert.Equal(EncryptionPolicy.Enabled, o.Incoming);
        Assert.Equal(EncryptionPolicy.Disabled, o.Outgoing);
        Assert.Equal(CryptoMethods.Both, o.Allowed);
        // A level allowing nothing still offers both (and then accepts no answer).
        var none = MseOptions.FromSettings(1, 1, 4, false);
        Assert.Equal(CryptoMethods.Both, none.Provide);
        Assert.False(none.AcceptsSelection(1));
    }

    [Theory]
    [InlineData(3, false, 3, CryptoMethods.Plaintext)] // libtorrent's default picks plaintext
    [InlineData(3, true, 3, CryptoMethods.Rc4)]
    [InlineData(3, false, 2, CryptoMethods.Rc4)]
    [InlineData(3, true, 1, CryptoMethods.Plaintext)]
    [InlineData(2, false, 1, CryptoMethods.None)]
    [InlineData(1, true, 2, CryptoMethods.None)]
    [InlineData(3, false, 0xFFFF_FFF0u, CryptoMethods.None)] // unknown methods only
    public void The_receiver_selects_one_common_method(int level, bool preferRc4, uint provided, CryptoMethods expected) =>
        Assert.Equal(expected, MseOptions.FromSettings(1, 1, level, preferRc4).Select(provided));

    [Theory]
    [InlineData(3, 1u, true)]
    [InlineData(3, 2u, true)]
    [InlineData(3, 3u, false)] // one method, not a set
    [InlineData(2, 1u, false)] // not offered
    [InlineData(1, 1u, true)]
    [InlineData(3, 4u, false)]
    public void The_initiator_accepts_only_one_offered_method(int level, uint selected, bool ok) =>
        Assert.Equal(ok, MseOptions.FromSettings(1, 1, level, false).AcceptsSelection(selected));
}
