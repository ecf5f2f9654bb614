// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using System.Net;
using TorrentXT.Engine.PeerWire.Encryption;
using TorrentXT.Engine.Settings;

namespace TorrentXT.Engine.Swarm;

/// <summary>
/// The session's side of protocol encryption: the current settings, the receiver's lookup of a
/// torrent from an MSE handshake, and libtorrent's dial rule for out_enc_policy "enabled": try MSE
/// first; when that attempt fails, redial at once in plaintext; remember a peer that answered in
/// plaintext so later dials go plaintext directly, and forget it when a plaintext dial fails.
/// </summary>
internal sealed partial class SwarmHost
{
    private const int MaxRememberedPlaintextPeers = 4096;
    private readonly ConcurrentDictionary<IPEndPoint, byte> _plaintextPeers = new();

    public MseOptions EncryptionOptions()
    {
        var s = _session.Settings;
        return MseOptions.FromSettings(s.GetInt(SettingIds.InEncPolicy), s.GetInt(SettingIds.OutEncPolicy),
            s.GetInt(SettingIds.AllowedEncLevel), s.GetBool(SettingIds.PreferRc4));
    }

    /// <summary>
    /// The info-hash whose HASH('req2', hash) is <paramref name="req2"/>: a v1 hash or a truncated v2
    /// hash of one of our torrents (libtorrent answers to both), or null.
    /// </summary>
    public byte[]? FindEncryptedInfoHash(byte[] req2)
    {
        foreach (var t in _session.Torrents)
        {
            if (t.Removed) continue;
            var ih = t.InfoHashes;
            if (ih.V1 is { } v1 && MseHashes.Req2(v1).AsSpan().SequenceEqual(req2)) return v1;
            if (ih.TruncatedV2 is { } v2 && MseHashes.Req2(v2).AsSpan().SequenceEqual(req2)) return v2;
        }
        return null;
    }

    private bool DialEncrypted(IPEndPoint endpoint) => EncryptionOptions().Outgoing switch
    {
        EncryptionPolicy.Forced => true,
        EncryptionPolicy.Enabled => !_plaintextPeers.ContainsKey(endpoint),
        _ => false,
    };

    /// <summary>After a dial: true when an "enabled" MSE attempt failed and a plaintext one should follow now.</summary>
    private bool ShouldRedialPlaintext(IPEndPoint endpoint, bool encrypted, PeerConnection? p)
    {
        if (EncryptionOptions().Outgoing != EncryptionPolicy.Enabled || _cts.IsCancellationRequested) return false;
        NoteDialResult(endpoint, encrypted, p);
        return encrypted && p is { EncryptionFailed: true };
    }

    /// <summary>Remembers which way a peer answered (under "enabled"): plaintext peers are dialled plaintext next time.</summary>
    private void NoteDialResult(IPEndPoint endpoint, bool encrypted, PeerConnection? p)
    {
        bool established = p?.Swarm is not null;
        if (!encrypted && established)
        {
            if (_plaintextPeers.Count >= MaxRememberedPlaintextPeers) _plaintextPeers.Clear();
            _plaintextPeers[endpoint] = 0;
        }
        else if (encrypted == established) _plaintextPeers.TryRemove(endpoint, out _);
    }
}
