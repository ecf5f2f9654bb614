// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using TorrentXT.Engine.Bencoding;
using TorrentXT.Engine.Dht;
using TorrentXT.Native.Errors;
using TorrentXT.Native.Interop;
using TorrentXT.Native.Records;
using TorrentXT.Native.Wire;

namespace TorrentXT.Native.Exports;

/// <summary>
/// The DHT functions (contract §4.11, §7). Every network operation is started here and finishes on
/// the session's DHT thread; results arrive as alerts. With the DHT off they do nothing (as the
/// original: no event follows) and still return 0.
/// </summary>
public static unsafe class DhtExports
{
    [UnmanagedCallersOnly(EntryPoint = "btx_dht_announce")]
    public static int Announce(int s, byte* infoHashHex, int port)
    {
        try
        {
            if (LiveSession.Resolve(s) is null) return Fail.NoSession();
            var live = LiveSession.Resolve(s);
            if (!Hex.TryParse(Utf8Z.Read(infoHashHex), 20, out var hash)) return Fail.InvalidArg(ErrorText.InfoHashMustBe40Hex);
            if (port is < 0 or > 65535) return Fail.InvalidArg(ErrorText.BadPort);
            live!.Engine.DhtAnnounce(hash, port);
            return 0;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_dht_add_bootstrap")]
    public static int AddBootstrap(int s, byte* host, int port)
    {
        try
        {
            if (LiveSession.Resolve(s) is null) return Fail.NoSession();
            if (Utf8Z.IsNullOrEmpty(host) || port <= 0 || port > 65535) return Fail.InvalidArg(ErrorText.BadDhtBootstrap);
            LiveSession.Resolve(s)!.Engine.DhtAddBootstrap(Utf8Z.Read(host)!, port);
            return 0;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_dht_state")]
    public static int State(int s, void* output, int cap)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            if (live is null) return 0;
            var w = new RecordWriter((byte*)output, cap);
            w.BeginRecord();
            w.Int(F.DhtNodes, live.Dht.Nodes);
            w.Int(F.DhtNodeCache, live.Dht.NodeCache);
            w.Int(F.DhtGlobalNodes, live.Dht.GlobalNodes);
            w.Int(F.DhtTorrents, live.Dht.Torrents);
            w.EndRecord();
            return w.Finish();
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_dht_save_state")]
    public static int SaveState(int s, byte* output, int cap)
    {
        try { return LiveSession.Resolve(s) is { } live ? FlatOutput.FlatCopy(live.Engine.SaveDhtState(), output, cap) : 0; }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_dht_load_state")]
    public static int LoadState(int s, void* data, int len)
    {
        try
        {
            if (LiveSession.Resolve(s) is null) return Fail.NoSession();
            if (data is null || len <= 0) return Fail.InvalidArg(ErrorText.EmptyDhtState);
            // D8: garbage is an invalid argument, not an internal failure.
            try { LiveSession.Resolve(s)!.Engine.LoadDhtState(new ReadOnlySpan<byte>(data, len).ToArray()); }
            catch (BencodeException e) { return Fail.InvalidArg(ErrorText.InvalidDhtStatePrefix + e.Message); }
            return 0;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_dht_keypair")]
    public static int Keypair(byte* seedHexOrEmpty, void* output, int cap)
    {
        try
        {
            string? seedHex = Utf8Z.Read(seedHexOrEmpty);
            Ed25519KeyPair keys;
            if (string.IsNullOrEmpty(seedHex)) keys = Ed25519Keys.Generate();
            else if (Hex.TryParse(seedHex, 32, out var seed)) keys = Ed25519Keys.FromSeed(seed);
            else { LastError.Set(ErrorText.SeedMustBeEmptyOr64Hex); return 0; }
            var w = new RecordWriter((byte*)output, cap);
            w.BeginRecord();
            w.Hex(F.DhtPublicKey, keys.PublicKey);
            w.Hex(F.DhtSecretKey, keys.SecretKey);
            w.Hex(F.DhtSeed, keys.Seed);
            w.EndRecord();
            return w.Finish();
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_dht_put_immutable")]
    public static int PutImmutable(int s, void* data, int len, byte* outTargetHex, int cap)
    {
        try
        {
            var live = LiveSession.Resolve(s);
            if (live is null) return 0;
            if (data is null || len < 0 || len > 1000 || !FitsBep44(len)) { LastError.Set(ErrorText.ValueMustBe0To1000); return 0; }
            // The put is started first (a -needed retry repeats it harmlessly); with the DHT off no dhtPut follows.
            var raw = new ReadOnlySpan<byte>(data, len).ToArray();
            live.Engine.DhtPutImmutable(raw);
            var target = DhtItems.ImmutableTarget(raw);
            return FlatOutput.FlatCopy(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(target)), outTargetHex, cap);
        }
        catch (Exception e) { return Firewall.GetterFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_dht_get_immutable")]
    public static int GetImmutable(int s, byte* targetHex)
    {
        try
        {
            if (LiveSession.Resolve(s) is null) return Fail.NoSession();
            if (!Hex.TryParse(Utf8Z.Read(targetHex), 20, out var target)) return Fail.InvalidArg(ErrorText.TargetMustBe40Hex);
            LiveSession.Resolve(s)!.Engine.DhtGetImmutable(target);
            return 0;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_dht_put_mutable")]
    public static int PutMutable(int s, byte* publicKeyHex, byte* secretKeyHex, byte* salt, void* data, int len)
    {
        try
        {
            if (LiveSession.Resolve(s) is null) return Fail.NoSession();
            if (data is null || len < 0 || len > 1000 || !FitsBep44(len)) return Fail.InvalidArg(ErrorText.ValueMustBe0To1000);
            if (!Hex.TryParse(Utf8Z.Read(publicKeyHex), 32, out var pk)) return Fail.InvalidArg(ErrorText.PublicKeyMustBe64Hex);
            if (!Hex.TryParse(Utf8Z.Read(secretKeyHex), 64, out var sk)) return Fail.InvalidArg(ErrorText.SecretKeyMustBe128Hex);
            if (Utf8Z.Span(salt).Length > 64) return Fail.InvalidArg(ErrorText.SaltTooLong);
            if (!Ed25519Keys.SecretMatchesPublic(sk, pk)) return Fail.InvalidArg(ErrorText.SecretKeyNotForPublicKey);
            LiveSession.Resolve(s)!.Engine.DhtPutMutable(pk, sk, Utf8Z.Span(salt).ToArray(), new ReadOnlySpan<byte>(data, len).ToArray());
            return 0;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "btx_dht_get_mutable")]
    public static int GetMutable(int s, byte* publicKeyHex, byte* salt)
    {
        try
        {
            if (LiveSession.Resolve(s) is null) return Fail.NoSession();
            if (!Hex.TryParse(Utf8Z.Read(publicKeyHex), 32, out var pk)) return Fail.InvalidArg(ErrorText.PublicKeyMustBe64Hex);
            if (Utf8Z.Span(salt).Length > 64) return Fail.InvalidArg(ErrorText.SaltTooLong);
            LiveSession.Resolve(s)!.Engine.DhtGetMutable(pk, Utf8Z.Span(salt).ToArray());
            return 0;
        }
        catch (Exception e) { return Firewall.ActionFailed(e); }
    }

    /// <summary>D8: BEP 44 limits the bencoded value ("&lt;len&gt;:" + bytes) to 1000 bytes.</summary>
    private static bool FitsBep44(int rawLength) => rawLength + rawLength.ToString().Length + 1 <= 1000;
}
