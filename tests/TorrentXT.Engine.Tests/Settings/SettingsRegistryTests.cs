// SPDX-License-Identifier: MIT
using TorrentXT.Engine.Settings;
using Xunit;

namespace TorrentXT.Engine.Tests.Settings;

public class SettingsRegistryTests
{
    [Fact]
    public void It_holds_249_names_12_string_153_int_84_bool()
    {
        Assert.Equal(249, SettingsRegistry.All.Count);
        Assert.Equal(12, SettingsRegistry.All.Count(d => d.Type == SettingType.String));
        Assert.Equal(153, SettingsRegistry.All.Count(d => d.Type == SettingType.Int));
        Assert.Equal(84, SettingsRegistry.All.Count(d => d.Type == SettingType.Bool));
        Assert.Equal(SettingsRegistry.All.Count, SettingsRegistry.All.Select(d => d.Name).Distinct().Count());
    }

    [Fact]
    public void The_class_bits_of_every_id_match_its_type()
    {
        foreach (var d in SettingsRegistry.All)
        {
            int expected = d.Type switch
            {
                SettingType.String => 0x0000,
                SettingType.Int => 0x4000,
                _ => 0x8000,
            };
            Assert.Equal(expected, d.Id & 0xC000);
            Assert.True(SettingsRegistry.TryGet(d.Id, out var byId));
            Assert.Same(d, byId);
        }
    }

    [Theory]
    [InlineData("user_agent", 0x0000, SettingType.String, "libtorrent/2.0.8.0")]
    [InlineData("listen_interfaces", 0x0005, SettingType.String, "0.0.0.0:6881,[::]:6881")]
    [InlineData("peer_fingerprint", 0x000a, SettingType.String, "-LT2080-")]
    [InlineData("dht_bootstrap_nodes", 0x000b, SettingType.String, "dht.libtorrent.org:25401")]
    [InlineData("announce_ip", 0x0001, SettingType.String, "")]
    [InlineData("alert_mask", 0x4075, SettingType.Int, "1")]
    [InlineData("connections_limit", 0x4055, SettingType.Int, "200")]
    [InlineData("alert_queue_size", 0x4063, SettingType.Int, "2000")]
    [InlineData("enable_dht", 0x803e, SettingType.Bool, "1")]
    [InlineData("enable_set_file_valid_data", 0x8052, SettingType.Bool, "0")]
    // The name table swaps these two relative to libtorrent's C++ enum; names are what count here.
    [InlineData("announce_to_all_trackers", 0x8011, SettingType.Bool, "0")]
    [InlineData("announce_to_all_tiers", 0x8012, SettingType.Bool, "0")]
    public void Names_resolve_to_libtorrents_id_class_and_default(string name, int id, SettingType type, string def)
    {
        Assert.True(SettingsRegistry.TryGet(name, out var d));
        Assert.Equal(name, d.Name);
        Assert.Equal(id, d.Id);
        Assert.Equal(type, d.Type);
        Assert.Equal(def, d.Default);
    }

    [Fact]
    public void Deprecated_names_exist_because_the_reference_build_has_them()
    {
        Assert.True(SettingsRegistry.TryGet("mmap_cache", out var mmap));
        Assert.True(mmap.Deprecated);
        Assert.True(SettingsRegistry.TryGet("active_loaded_limit", out var loaded));
        Assert.True(loaded.Deprecated);
        Assert.False(SettingsRegistry.All.Single(d => d.Name == "alert_mask").Deprecated);
    }

    [Fact]
    public void The_alias_peer_tos_resolves_to_peer_dscp_and_is_not_listed_twice()
    {
        Assert.True(SettingsRegistry.TryGet("peer_tos", out var alias));
        Assert.True(SettingsRegistry.TryGet("peer_dscp", out var canonical));
        Assert.Same(canonical, alias);
        Assert.Equal(0x4028, alias.Id);
        Assert.DoesNotContain(SettingsRegistry.All, d => d.Name == "peer_tos");
        Assert.Equal(SettingIds.PeerDscp, SettingIds.PeerTos);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no_such_setting")]
    [InlineData("Alert_Mask")]
    [InlineData("alert_mask ")]
    public void Unknown_names_are_refused(string? name)
    {
        Assert.False(SettingsRegistry.TryGet(name, out _));
    }

    [Theory]
    [InlineData(0x000c)]
    [InlineData(0x4099)]
    [InlineData(0x8054)]
    [InlineData(0xC000)]
    [InlineData(-1)]
    [InlineData(0x10000)]
    public void Unknown_ids_are_refused(int id)
    {
        Assert.False(SettingsRegistry.TryGet(id, out _));
        Assert.Throws<ArgumentException>(() => SettingsRegistry.Get(id));
    }

    [SettingsTsvFact]
    public void The_table_matches_libtorrents_settings_tsv_row_for_row()
    {
        var rows = SettingsTsv.Load();
        Assert.Equal(250, rows.Count);
        foreach (var row in rows)
        {
            Assert.True(SettingsRegistry.TryGet(row.Name, out var d), row.Name);
            Assert.Equal(row.Id, d.Id);
            var expectedType = row.Type switch { "str" => SettingType.String, "int" => SettingType.Int, _ => SettingType.Bool };
            Assert.Equal(expectedType, d.Type);
            if (row.Source == "alias")
            {
                Assert.NotEqual(row.Name, d.Name);
                continue;
            }
            Assert.Equal(row.Name, d.Name);
            Assert.Equal(row.Deprecated, d.Deprecated);
            string expectedDefault = row.Type == "bool" ? (row.Default == "true" ? "1" : "0") : row.Default;
            Assert.Equal(expectedDefault, d.Default);
        }
        Assert.Equal(rows.Count(r => r.Source != "alias"), SettingsRegistry.All.Count);
    }
}
