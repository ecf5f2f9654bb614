// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using System.Text;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Metainfo;
using TorrentXT.Engine.Storage;
using TorrentXT.Engine.Swarm;
using TorrentXT.Engine.Tests.Session;
using Xunit;

namespace TorrentXT.Engine.Tests.Swarm;

/// <summary>The smart ban: after a failed piece passes, exactly the peers whose blocks differed are named.</summary>
public sealed class SmartBanTests : IDisposable
{
    private const int PieceLength = 4 * 16384;
    private readonly TempDir _dir = new();
    private readonly DiskIoQueue _disk = new();
    private readonly TorrentStorage _storage;
    private readonly PeerConnection _honest = Peer(1001), _liar = Peer(1002);
    private readonly byte[] _good = new byte[PieceLength];

    public SmartBanTests()
    {
        var info = new BDict
        {
            { "length", new BInt(2 * PieceLength) },
            { "name", new BBytes(Encoding.UTF8.GetBytes("smartban.bin")) },
            { "piece length", new BInt(PieceLength) },
            { "pieces", new BBytes(new byte[40]) },
        };
        _storage = new TorrentStorage(TorrentInfo.FromInfoDictionary(BencodeWriter.Encode(info)), _dir.Path);
        new Random(3).NextBytes(_good);
    }

    public void Dispose()
    {
        _storage.Dispose();
        _disk.Dispose();
        _dir.Dispose();
    }

    private static PeerConnection Peer(int port) =>
        new(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), new IPEndPoint(IPAddress.Loopback, port), false, CancellationToken.None);

    private async Task WriteAsync(int piece, byte[] data) => await _disk.WriteAsync(_storage, piece, 0, data);

    [Fact]
    public async Task Only_the_sender_of_the_differing_block_is_named()
    {
        var ban = new SmartBan();
        var bad = (byte[])_good.Clone();
        bad[2 * 16384 + 5] ^= 1;
        for (int b = 0; b < 4; b++) ban.OnBlock(0, b, 4, b == 2 ? _liar : _honest);
        await WriteAsync(0, bad);
        var senders = ban.TakeSenders(0);
        Assert.NotNull(senders);
        Assert.Same(_liar, senders[2]);
        await ban.RecordFailureAsync(_disk, _storage, 0, PieceLength, senders);

        // Fetched again, all from the honest peer, and it passes.
        for (int b = 0; b < 4; b++) ban.OnBlock(0, b, 4, _honest);
        await WriteAsync(0, _good);
        ban.TakeSenders(0);
        var liars = await ban.LiarsAsync(_disk, _storage, 0, PieceLength);
        Assert.Equal([_liar.Remote], liars);
        // The record is used once.
        Assert.Empty(await ban.LiarsAsync(_disk, _storage, 0, PieceLength));
    }

    [Fact]
    public async Task A_piece_that_never_failed_names_nobody_and_unknown_pieces_have_no_senders()
    {
        var ban = new SmartBan();
        Assert.Null(ban.TakeSenders(1));
        ban.OnBlock(1, 0, 4, _liar);
        await WriteAsync(1, _good);
        Assert.NotNull(ban.TakeSenders(1));
        Assert.Empty(await ban.LiarsAsync(_disk, _storage, 1, PieceLength));
    }
}
