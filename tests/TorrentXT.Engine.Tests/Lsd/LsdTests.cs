// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using System.Text;
using TorrentXT.Engine.Lsd;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Torrents;
using Xunit;
using EngineSession = TorrentXT.Engine.Session;

namespace TorrentXT.Engine.Tests.Lsd;

public class LsdMessageTests
{
    [Fact]
    public void Build_and_parse_round_trip()
    {
        var hash = Enumerable.Range(0, 20).Select(i => (byte)(i * 13)).ToArray();
        var packet = LsdMessage.Build("239.192.152.143:6771", 51413, new[] { hash }, "abcd1234");
        string text = Encoding.ASCII.GetString(packet);
        Assert.StartsWith("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 51413\r\nInfohash: ", text);
        Assert.EndsWith("cookie: abcd1234\r\n\r\n\r\n", text);
        var m = LsdMessage.Parse(packet)!;
        Assert.Equal(51413, m.Port);
        Assert.Equal(hash, Assert.Single(m.InfoHashes));
        Assert.Equal("abcd1234", m.Cookie);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nPort: 1\r\nInfohash: 0000000000000000000000000000000000000000\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 0\r\nInfohash: 0000000000000000000000000000000000000000\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 70000\r\nInfohash: 0000000000000000000000000000000000000000\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 10\r\nInfohash: zz\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 10\r\n\r\n")]
    public void Malformed_announces_are_ignored(string text) => Assert.Null(LsdMessage.Parse(Encoding.ASCII.GetBytes(text)));
}

/// <summary>
/// Two sessions on 127.0.0.1 with LSD on: the leecher has a magnet with no peers and no trackers
/// and finds the seeder by multicast on the loopback device alone. A private torrent is never announced.
/// </summary>
public sealed class LsdDiscoveryTests : IDisposable
{
    private readonly TempDir _seedDir = new(), _leechDir = new();
    private readonly EngineSession _seeder = new(Settings()), _leecher = new(Settings());

    private static TorrentXT.Engine.Settings.SettingsPack Settings()
    {
        var s = SessionTests.LoopbackSettings();
        s.SetBool("enable_lsd", true);
        s.SetInt("local_service_announce_interval", 1);
        return s;
    }

    public void Dispose()
    {
        _seeder.Dispose();
        _leecher.Dispose();
        _seedDir.Dispose();
        _leechDir.Dispose();
    }

    private static bool MulticastOnLoopback()
    {
        // The test needs the loopback device to carry multicast (it does on Linux by default).
        try
        {
            using var r = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            r.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            r.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership,
                new MulticastOption(IPAddress.Parse(LsdMessage.GroupV4), IPAddress.Loopback));
            return true;
        }
        catch (SocketException) { return false; }
    }

    [Fact]
    public void A_magnet_without_peers_finds_the_seeder_by_lsd()
    {
        Assert.True(MulticastOnLoopback(), "the loopback device must accept a multicast membership");
        TestTorrents.WritePayload("v1_multi", _seedDir.Path);
        var seed = _seeder.Add(AddTorrentParams.FromTorrent(TestTorrents.Load("v1_multi"), _seedDir.Path, TorrentFlags.Default), out _);
        Assert.True(TestTorrents.WaitUntil(() => seed.State == TorrentState.Seeding, 15_000));
        var leech = _leecher.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse("magnet:?xt=urn:btih:" + seed.InfoHashes.V1Hex), _leechDir.Path, TorrentFlags.Default), out _);
        Assert.True(TestTorrents.WaitUntil(() => leech.State == TorrentState.Seeding, 30_000),
            $"the leecher completes with peers from LSD only (state {leech.State})");
    }

    /// <summary>The LSD announces seen on the loopback device for <paramref name="ms"/> milliseconds.</summary>
    private static List<string> Listen(Socket s, int ms)
    {
        var seen = new List<string>();
        var buffer = new byte[1500];
        var deadline = Environment.TickCount64 + ms;
        while (Environment.TickCount64 < deadline)
        {
            try { seen.Add(Encoding.ASCII.GetString(buffer, 0, s.Receive(buffer))); }
            catch (SocketException) { }
        }
        return seen;
    }

    [Fact]
    public void A_private_torrent_is_not_announced()
    {
        var info = TestTorrents.Load("private");
        Assert.True(info.IsPrivate);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 200 };
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Any, LsdMessage.Port));
        listener.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership,
            new MulticastOption(IPAddress.Parse(LsdMessage.GroupV4), IPAddress.Loopback));
        string hex = info.InfoHashes.V1Hex!;
        // A magnet cannot know the private flag before its metadata, so it is announced ...
        var magnet = _seeder.Add(AddTorrentParams.FromMagnet(MagnetUri.Parse("magnet:?xt=urn:btih:" + hex), _seedDir.Path, TorrentFlags.Default), out _);
        Assert.Contains(Listen(listener, 3000), m => m.Contains(hex, StringComparison.OrdinalIgnoreCase));
        _seeder.Remove(magnet, deleteFiles: false);
        Assert.True(TestTorrents.WaitUntil(() => _seeder.Torrents.Count == 0));
        // ... but the private .torrent never is (BEP 27).
        _seeder.Add(AddTorrentParams.FromTorrent(info, _seedDir.Path, TorrentFlags.Default), out _);
        Assert.DoesNotContain(Listen(listener, 3000), m => m.Contains(hex, StringComparison.OrdinalIgnoreCase));
    }
}
