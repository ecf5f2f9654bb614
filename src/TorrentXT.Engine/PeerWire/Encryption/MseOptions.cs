// SPDX-License-Identifier: MIT
namespace TorrentXT.Engine.PeerWire.Encryption;

/// <summary>libtorrent's enc_policy values (in_enc_policy, out_enc_policy).</summary>
public enum EncryptionPolicy
{
    /// <summary>Only encrypted (MSE) connections.</summary>
    Forced = 0,
    /// <summary>Both; outgoing connections try MSE first.</summary>
    Enabled = 1,
    /// <summary>Only plain BitTorrent connections.</summary>
    Disabled = 2,
}

/// <summary>MSE crypto_provide / crypto_select bits, which are also libtorrent's enc_level values.</summary>
[Flags]
public enum CryptoMethods
{
    None = 0,
    /// <summary>Only the handshake is obfuscated; the stream after it is plaintext.</summary>
    Plaintext = 1,
    /// <summary>The whole stream is RC4-encrypted.</summary>
    Rc4 = 2,
    Both = 3,
}

/// <summary>
/// The session's encryption settings as one value: the policies for both directions, the allowed
/// methods (allowed_enc_level) and which one a receiver picks when both are offered (prefer_rc4).
/// Out-of-range values (the ABI stores them unchecked) are read the way libtorrent reads them.
/// </summary>
public readonly record struct MseOptions(EncryptionPolicy Incoming, EncryptionPolicy Outgoing, CryptoMethods Allowed, bool PreferRc4)
{
    public static MseOptions Default => new(EncryptionPolicy.Enabled, EncryptionPolicy.Enabled, CryptoMethods.Both, false);

    public static MseOptions FromSettings(int inPolicy, int outPolicy, int level, bool preferRc4) =>
        new(IncomingPolicyOf(inPolicy), OutgoingPolicyOf(outPolicy), (CryptoMethods)(level & (int)CryptoMethods.Both), preferRc4);

    // libtorrent tests an incoming connection against forced (refuse plaintext) and disabled
    // (refuse MSE) only, so any other value accepts both...
    private static EncryptionPolicy IncomingPolicyOf(int v) => v switch
    {
        0 => EncryptionPolicy.Forced,
        2 => EncryptionPolicy.Disabled,
        _ => EncryptionPolicy.Enabled,
    };

    // ...and an outgoing one against forced and enabled, so any other value dials plaintext.
    private static EncryptionPolicy OutgoingPolicyOf(int v) => v switch
    {
        0 => EncryptionPolicy.Forced,
        1 => EncryptionPolicy.Enabled,
        _ => EncryptionPolicy.Disabled,
    };

    /// <summary>What an initiator offers: the allowed methods, or both when the level allows none (as libtorrent does).</summary>
    public CryptoMethods Provide => Allowed == CryptoMethods.None ? CryptoMethods.Both : Allowed;

    /// <summary>
    /// The receiver's choice among the <paramref name="provided"/> methods: one bit, RC4 over
    /// plaintext only with prefer_rc4 (libtorrent's default picks plaintext when both are allowed);
    /// <see cref="CryptoMethods.None"/> when nothing in common.
    /// </summary>
    public CryptoMethods Select(uint provided)
    {
        var common = (CryptoMethods)(provided & (uint)Allowed);
        if (common == CryptoMethods.Both) return PreferRc4 ? CryptoMethods.Rc4 : CryptoMethods.Plaintext;
        return common;
    }

    /// <summary>True when the receiver's <paramref name="selected"/> answer is one method we offered.</summary>
    public bool AcceptsSelection(uint selected) =>
        selected is (uint)CryptoMethods.Plaintext or (uint)CryptoMethods.Rc4 && (selected & (uint)Allowed) != 0;
}
