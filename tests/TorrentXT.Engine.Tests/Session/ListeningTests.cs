// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.Alerts;
using TorrentXT.Engine.Net;
using Xunit;
using EngineSession = TorrentXT.Engine.Session;

namespace TorrentXT.Engine.Tests.Session;

public class ListeningTests
{
    private static List<Alert> Drain(EngineSession s)
    {
        var list = new List<Alert>();
        s.Alerts.DrainTo(list);
        return list;
    }

    [Fact]
    public void Port_zero_listens_on_a_free_port_and_reports_it()
    {
        using var s = new EngineSession(SessionTests.LoopbackSettings());
        Assert.True(TestTorrents.WaitUntil(() => s.ListenPort > 0));
        var ok = Assert.IsType<ListenSucceededAlert>(Drain(s).Single(a => a is ListenSucceededAlert));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, s.ListenPort), ok.Endpoint);
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, s.ListenPort); // really listening
    }

    [Fact]
    public void Changing_listen_interfaces_reopens_the_sockets()
    {
        using var s = new EngineSession(SessionTests.LoopbackSettings());
        Assert.True(TestTorrents.WaitUntil(() => s.ListenPort > 0));
        s.Settings.SetString("listen_interfaces", "127.0.0.1:0,[::1]:0");
        Assert.True(TestTorrents.WaitUntil(() => s.ListenEndpoints.Count == 2));
        Assert.Contains(s.ListenEndpoints, e => e.AddressFamily == AddressFamily.InterNetworkV6);
    }

    [Fact]
    public void An_unusable_entry_gives_listen_failed_and_the_others_still_open()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        int taken = ((IPEndPoint)blocker.LocalEndpoint).Port;
        var settings = SessionTests.LoopbackSettings();
        settings.SetString("listen_interfaces", $"127.0.0.1:{taken},nonsense,127.0.0.1:0");
        using var s = new EngineSession(settings);
        Assert.True(TestTorrents.WaitUntil(() => s.ListenPort > 0));
        Thread.Sleep(50);
        var alerts = Drain(s);
        var failures = alerts.OfType<ListenFailedAlert>().ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.Endpoint == $"127.0.0.1:{taken}");
        Assert.Contains(failures, f => f.Endpoint == "nonsense");
        Assert.Single(alerts.OfType<ListenSucceededAlert>());
    }

    [Theory]
    [InlineData("0.0.0.0:6881,[::]:6881", 2)]
    [InlineData("127.0.0.1:0s", 1)]
    [InlineData("", 0)]
    [InlineData("1.2.3.4", 0)]
    [InlineData("127.0.0.1:70000", 0)]
    public void The_listen_interfaces_syntax_is_libtorrents(string text, int entries)
    {
        Assert.Equal(entries, ListenInterfaces.Parse(text).Count);
    }

    [Fact]
    public void Endpoints_bracket_ipv6_as_decision_D10_says()
    {
        Assert.Equal("[::1]:6881", Endpoints.Format(new IPEndPoint(IPAddress.IPv6Loopback, 6881)));
        Assert.Equal("127.0.0.1:80", Endpoints.Format(new IPEndPoint(IPAddress.Loopback, 80)));
    }
}
