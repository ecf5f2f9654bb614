// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Settings;
using Xunit;

namespace TorrentXT.Engine.Tests.Settings;

public class SettingsPackTests
{
    [Fact]
    public void A_fresh_pack_reads_back_every_default_as_text()
    {
        var pack = new SettingsPack();
        foreach (var d in SettingsRegistry.All)
            Assert.Equal(d.Default, pack.GetAsText(d.Name));
    }

    [Theory]
    // Contract §4.1: what a new session reports.
    [InlineData("alert_mask", "3673")]
    [InlineData("enable_dht", "1")]
    [InlineData("enable_lsd", "1")]
    [InlineData("enable_upnp", "1")]
    [InlineData("enable_natpmp", "1")]
    [InlineData("user_agent", "TorrentXT/0.1 libtorrent/2.0")]
    [InlineData("listen_interfaces", "0.0.0.0:6881,[::]:6881")]
    [InlineData("connections_limit", "200")]
    [InlineData("in_enc_policy", "1")]
    [InlineData("out_enc_policy", "1")]
    [InlineData("allowed_enc_level", "3")]
    [InlineData("peer_fingerprint", "-LT2080-")]
    [InlineData("alert_queue_size", "2000")]
    [InlineData("dht_bootstrap_nodes", "dht.libtorrent.org:25401")]
    [InlineData("active_downloads", "3")]
    [InlineData("active_seeds", "5")]
    [InlineData("active_limit", "500")]
    public void Session_defaults_read_back_as_the_contract_lists(string name, string expected)
    {
        var pack = SettingsPack.CreateSessionDefaults("TorrentXT/0.1 libtorrent/2.0");
        Assert.Equal(expected, pack.GetAsText(name));
    }

    [Fact]
    public void Session_defaults_change_only_the_five_contract_settings()
    {
        var pack = SettingsPack.CreateSessionDefaults("agent/1");
        var changed = SettingsRegistry.All.Where(d => pack.GetAsText(d) != d.Default).Select(d => d.Name).ToHashSet();
        // enable_* are libtorrent's defaults already, so only the mask and the agent differ.
        Assert.Equal(new HashSet<string> { "alert_mask", "user_agent" }, changed);
        Assert.Equal("agent/1", pack.GetString("user_agent"));
        Assert.Equal(SettingsPack.SessionAlertMask, pack.GetInt(SettingIds.AlertMask));
        Assert.Equal(0, pack.Version);
        Assert.False(pack.IsExplicitlySet(SettingIds.AlertMask));
    }

    [Fact]
    public void Ints_read_back_as_percent_d_of_the_32_bit_value()
    {
        var pack = new SettingsPack();
        pack.SetInt("connections_limit", -5);
        Assert.Equal("-5", pack.GetAsText("connections_limit"));
        pack.SetInt("connections_limit", int.MinValue);
        Assert.Equal("-2147483648", pack.GetAsText("connections_limit"));
        pack.SetInt(SettingIds.ConnectionsLimit, 1215752191);
        Assert.Equal(1215752191, pack.GetInt("connections_limit"));
    }

    [Fact]
    public void Values_are_stored_as_given_without_clamping()
    {
        var pack = new SettingsPack();
        pack.SetInt("in_enc_policy", 7);
        Assert.Equal("7", pack.GetAsText("in_enc_policy"));
        pack.SetBool("enable_dht", false);
        Assert.Equal("0", pack.GetAsText("enable_dht"));
        Assert.False(pack.GetBool(SettingIds.EnableDht));
        pack.SetString("user_agent", "");
        Assert.Equal("", pack.GetAsText("user_agent"));
    }

    [Fact]
    public void Unknown_names_and_wrong_classes_are_refused()
    {
        var pack = new SettingsPack();
        Assert.Throws<ArgumentException>(() => pack.SetInt("no_such_setting", 1));
        Assert.Throws<ArgumentException>(() => pack.SetInt("enable_dht", 1));
        Assert.Throws<ArgumentException>(() => pack.SetBool("alert_mask", true));
        Assert.Throws<ArgumentException>(() => pack.SetString("alert_mask", "1"));
        Assert.Throws<ArgumentException>(() => pack.GetInt("user_agent"));
        Assert.Throws<ArgumentException>(() => pack.GetAsText("no_such_setting"));
        Assert.Throws<ArgumentException>(() => pack.SetInt(0x4099, 1));
        Assert.Equal("1", pack.GetAsText("alert_mask"));
    }

    [Fact]
    public void The_alias_shares_the_canonical_value()
    {
        var pack = new SettingsPack();
        pack.SetInt("peer_tos", 32);
        Assert.Equal(32, pack.GetInt("peer_dscp"));
        Assert.Equal("32", pack.GetAsText("peer_tos"));
    }

    [Fact]
    public void Every_set_raises_Changed_with_the_canonical_definition_and_bumps_the_version()
    {
        var pack = SettingsPack.CreateSessionDefaults("a");
        var seen = new List<string>();
        pack.Changed += d => seen.Add(d.Name);
        pack.SetInt("alert_mask", SettingsPack.SessionAlertMask); // same value: still a set
        pack.SetInt("peer_tos", 8);
        pack.SetBool("enable_lsd", false);
        Assert.Equal(["alert_mask", "peer_dscp", "enable_lsd"], seen);
        Assert.Equal(3, pack.Version);
        Assert.True(pack.IsExplicitlySet(SettingIds.AlertMask));
        Assert.False(pack.IsExplicitlySet(SettingIds.EnableDht));
    }

    [Fact]
    public void A_refused_set_changes_nothing()
    {
        var pack = new SettingsPack();
        int raised = 0;
        pack.Changed += _ => raised++;
        Assert.Throws<ArgumentException>(() => pack.SetBool("alert_mask", true));
        Assert.Equal(0, raised);
        Assert.Equal(0, pack.Version);
    }

    [Fact]
    public void Clone_is_independent()
    {
        var pack = new SettingsPack();
        pack.SetInt("alert_mask", 5);
        var copy = pack.Clone();
        pack.SetInt("alert_mask", 6);
        Assert.Equal(5, copy.GetInt("alert_mask"));
        Assert.Equal(1, copy.Version);
    }

    [Fact]
    public async Task A_reader_never_sees_a_value_that_was_not_written()
    {
        var pack = new SettingsPack();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var writer = Task.Run(() =>
        {
            for (int i = 0; i < 200_000 && !stop.IsCancellationRequested; i++)
            {
                pack.SetInt("alert_mask", i % 2 == 0 ? 3673 : -1);
                pack.SetString("user_agent", i % 2 == 0 ? "even" : "odd");
            }
        });
        while (!writer.IsCompleted)
        {
            int mask = pack.GetInt("alert_mask");
            Assert.True(mask is 1 or 3673 or -1, $"torn value {mask}");
            Assert.Contains(pack.GetString("user_agent"), new[] { "libtorrent/2.0.8.0", "even", "odd" });
        }
        await writer;
    }
}
