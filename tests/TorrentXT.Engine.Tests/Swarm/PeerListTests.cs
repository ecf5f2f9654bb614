// SPDX-License-Identifier: MIT
using System.Net;
using TorrentXT.Engine.Swarm;
using TorrentXT.Engine.Torrents;
using Xunit;

namespace TorrentXT.Engine.Tests.Swarm;

/// <summary>
/// The per-torrent peer list: sources merge, candidates come best first, a failed dial waits
/// min_reconnect_time × (failures + 1) and is dropped after max_failcount, a resumed torrent dials at once.
/// </summary>
public sealed class PeerListTests
{
    private const long Reconnect = 60_000;
    private static IPEndPoint Ep(int port) => new(IPAddress.Loopback, port);

    private static List<IPEndPoint> Take(PeerList list, long now, int max = 10, Func<IPEndPoint, bool>? skip = null)
    {
        var into = new List<IPEndPoint>();
        list.TakeCandidates(into, max, now, Reconnect, skip ?? (_ => false));
        return into;
    }

    [Fact]
    public void Sources_merge_and_the_list_stops_at_its_capacity()
    {
        var list = new PeerList();
        Assert.True(list.Add(Ep(1), PeerSource.Dht, capacity: 2));
        Assert.True(list.Add(Ep(1), PeerSource.Tracker, capacity: 2));
        Assert.True(list.Add(Ep(2), PeerSource.Pex, capacity: 2));
        Assert.False(list.Add(Ep(3), PeerSource.Pex, capacity: 2));
        Assert.True(list.Add(Ep(2), PeerSource.Lsd, capacity: 2), "a known endpoint still merges at capacity");
        Assert.Equal(PeerSource.Dht | PeerSource.Tracker, list.Find(Ep(1))!.Sources);
        Assert.Equal(2, list.Count);
    }

    [Fact]
    public void Candidates_come_by_failures_then_source_rank_then_age()
    {
        var list = new PeerList();
        list.Add(Ep(1), PeerSource.Pex, 100);
        list.Add(Ep(2), PeerSource.Tracker, 100);
        list.Add(Ep(3), PeerSource.Dht, 100);
        list.Add(Ep(4), PeerSource.ResumeData, 100);
        list.Add(Ep(5), PeerSource.Lsd, 100);
        list.Add(Ep(6), PeerSource.Tracker, 100);
        Assert.Equal([Ep(2), Ep(6), Ep(5), Ep(3), Ep(1), Ep(4)], Take(list, now: 0));
        Assert.Equal(6, list.Connecting);
        Assert.Empty(Take(list, now: 0)); // all being dialled
    }

    [Fact]
    public void A_failed_dial_backs_off_longer_each_time_and_is_dropped_after_max_failcount()
    {
        var list = new PeerList();
        list.Add(Ep(1), PeerSource.Tracker, 100);
        Assert.Single(Take(list, now: 0));
        list.OnDialEnded(Ep(1), connected: false, now: 1_000, maxFailCount: 3);
        Assert.Equal(1, list.Find(Ep(1))!.FailCount);
        Assert.Empty(Take(list, now: 1_000 + 2 * Reconnect - 1));
        Assert.Single(Take(list, now: 1_000 + 2 * Reconnect));

        long second = 1_000 + 2 * Reconnect + 10;
        list.OnDialEnded(Ep(1), connected: false, now: second, maxFailCount: 3);
        Assert.Empty(Take(list, now: second + 3 * Reconnect - 1));
        Assert.Single(Take(list, now: second + 3 * Reconnect));
        list.OnDialEnded(Ep(1), connected: false, now: second + 3 * Reconnect, maxFailCount: 3);
        Assert.Null(list.Find(Ep(1)));
        Assert.Equal(0, list.Connecting);
    }

    [Fact]
    public void A_connection_clears_the_failures_and_waits_the_base_interval_after_it_closes()
    {
        var list = new PeerList();
        list.Add(Ep(1), PeerSource.Pex, 100);
        Take(list, now: 0);
        list.OnDialEnded(Ep(1), connected: false, now: 0, maxFailCount: 3);
        Take(list, now: 2 * Reconnect);
        list.OnDialConnected(Ep(1));
        Assert.Equal(PeerList.PeerState.Connected, list.Find(Ep(1))!.State);
        Assert.Equal(0, list.Connecting);
        Assert.Empty(Take(list, now: 10 * Reconnect)); // connected: not dialled again
        list.OnDialEnded(Ep(1), connected: true, now: 10 * Reconnect, maxFailCount: 3);
        Assert.Equal(0, list.Find(Ep(1))!.FailCount);
        Assert.Empty(Take(list, now: 11 * Reconnect - 1));
        Assert.Single(Take(list, now: 11 * Reconnect));
    }

    [Fact]
    public void A_resumed_torrent_dials_its_clean_peers_at_once_but_not_the_failing_ones()
    {
        var list = new PeerList();
        list.Add(Ep(1), PeerSource.Tracker, 100);
        list.Add(Ep(2), PeerSource.Tracker, 100);
        Take(list, now: 0);
        list.OnDialEnded(Ep(1), connected: true, now: 5, maxFailCount: 3);
        list.OnDialEnded(Ep(2), connected: false, now: 5, maxFailCount: 3);
        Assert.Empty(Take(list, now: 10));
        list.ForgetAttempts();
        Assert.Equal([Ep(1)], Take(list, now: 10));
    }

    [Fact]
    public void An_incoming_peer_is_not_dialled_while_it_is_connected_to_us()
    {
        var list = new PeerList();
        list.Add(Ep(7), PeerSource.Incoming, 100);
        list.OnIncoming(Ep(7));
        Assert.Empty(Take(list, now: 0));
        list.OnIncomingClosed(Ep(7), now: 100);
        Assert.Empty(Take(list, now: 100 + Reconnect - 1));
        Assert.Single(Take(list, now: 100 + Reconnect));
    }

    [Fact]
    public void Vetoed_endpoints_stay_candidates_and_room_is_respected()
    {
        var list = new PeerList();
        for (int i = 1; i <= 5; i++) list.Add(Ep(i), PeerSource.Dht, 100);
        var taken = Take(list, now: 0, max: 2, skip: ep => ep.Port == 1);
        Assert.Equal([Ep(2), Ep(3)], taken);
        Assert.Equal(PeerList.PeerState.Candidate, list.Find(Ep(1))!.State);
        Assert.Empty(Take(list, now: 0, max: 0));
    }
}
