// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using TorrentXT.Engine.PeerWire;
using TorrentXT.Engine.Tests.Session;
using TorrentXT.Engine.Torrents;
using Xunit;
using EngineSession = TorrentXT.Engine.Session;

namespace TorrentXT.Engine.Tests.Swarm;

/// <summary>What an incoming connection must say before the session keeps it.</summary>
public sealed class IncomingHandshakeTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly EngineSession _session = new(SessionTests.LoopbackSettings());

    public void Dispose()
    {
        _session.Dispose();
        _dir.Dispose();
    }

    private Socket Connect()
    {
        Assert.True(TestTorrents.WaitUntil(() => _session.ListenPort > 0));
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        s.Connect(IPAddress.Loopback, _session.ListenPort);
        return s;
    }

    /// <summary>Reads until the session closes the socket; returns what it sent before that.</summary>
    private static byte[] ReadUntilClosed(Socket s)
    {
        var got = new List<byte>();
        var buf = new byte[4096];
        int n;
        while ((n = s.Receive(buf)) > 0) got.AddRange(buf.AsSpan(0, n).ToArray());
        return got.ToArray();
    }

    [Fact]
    public void A_connection_that_is_not_bittorrent_is_closed()
    {
        // Not "19 BitTorrent protocol", so it is taken for an encryption handshake (MSE, allowed by
        // default), whose first 96 bytes are a public key: zero is not a valid one.
        using var s = Connect();
        s.Send(new byte[TorrentXT.Engine.PeerWire.Encryption.MseKeyExchange.KeyLength]);
        Assert.Empty(ReadUntilClosed(s));
    }

    [Fact]
    public void With_incoming_encryption_disabled_a_non_bittorrent_prefix_is_closed_at_once()
    {
        _session.Settings.SetInt("in_enc_policy", 2);
        using var s = Connect();
        s.Send(new byte[20]);
        Assert.Empty(ReadUntilClosed(s));
    }

    [Fact]
    public void A_handshake_for_an_unknown_torrent_is_closed_without_a_reply()
    {
        using var s = Connect();
        var hs = new byte[Handshake.Length];
        Handshake.Write(hs, PeerReserved.Ours(false, false), new byte[20], PeerId.Generate());
        s.Send(hs);
        Assert.Empty(ReadUntilClosed(s));
    }

    [Fact]
    public void A_handshake_for_our_torrent_gets_ours_back_with_the_same_info_hash()
    {
        var t = SeedV1Single();
        using var s = Connect();
        SendPlainHandshake(s, t);
        var reply = new byte[Handshake.Length];
        int got = 0;
        while (got < reply.Length) got += s.Receive(reply, got, reply.Length - got, SocketFlags.None);
        Assert.True(Handshake.TryRead(reply, out var view, out _));
        Assert.True(view.InfoHash.SequenceEqual(t.InfoHashes.V1));
        Assert.True(view.Reserved.SupportsExtensionProtocol && view.Reserved.SupportsFast);
        Assert.True(view.PeerId.StartsWith("-TX0100-"u8));
        Assert.True(TestTorrents.WaitUntil(() => t.GetStatus().NumConnections == 1, 5_000));
    }

    [Fact]
    public void With_incoming_encryption_forced_a_plain_handshake_for_our_torrent_is_closed_without_a_reply()
    {
        _session.Settings.SetInt("in_enc_policy", 0);
        var t = SeedV1Single();
        using var s = Connect();
        SendPlainHandshake(s, t);
        Assert.Empty(ReadUntilClosed(s));
        Assert.Equal(0, t.GetStatus().NumConnections);
    }

    private Torrent SeedV1Single()
    {
        TestTorrents.WritePayload("v1_single", _dir.Path);
        var t = _session.Add(AddTorrentParams.FromTorrent(TestTorrents.Load("v1_single"), _dir.Path, TorrentFlags.Default), out _);
        Assert.True(TestTorrents.WaitUntil(() => t.State == TorrentState.Seeding && !t.IsPaused, 15_000));
        return t;
    }

    private static void SendPlainHandshake(Socket s, Torrent t)
    {
        var hs = new byte[Handshake.Length];
        Handshake.Write(hs, PeerReserved.Ours(false, false), t.InfoHashes.V1!, PeerId.Generate());
        s.Send(hs);
    }
}
