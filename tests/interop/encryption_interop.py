#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: protocol encryption (MSE/PE) against libtorrent 2.0 on 127.0.0.1.

libtorrent runs with in/out_enc_policy=forced and allowed_enc_level=rc4 unless a case says otherwise.
a. libtorrent seeds, connects to our leecher (we are the MSE receiver), every byte verified; both
   sides flag the link rc4_encrypted.
b. we seed, a libtorrent leecher connects to us, every byte verified (our RC4 send path).
c. allowed_enc_level=pe_plaintext on both sides: the MSE handshake, then plaintext, both ways
   (plaintext_encrypted flags).
d. we force encryption, libtorrent has it disabled: no connection either way, within bounds, and
   our session is still sound afterwards.
e. a magnet download from a forced-RC4 libtorrent seeder (we dial; metadata over the encrypted
   link), v1 and hybrid (the hybrid dial uses the truncated v2 hash as the MSE SKEY).
f. our defaults (enabled, both): against libtorrent's defaults the link is MSE with plaintext
   selected, as between two libtorrents; against libtorrent with encryption disabled our dial
   falls back to plaintext after the refused MSE attempt.
g. garbage at our listener (MSE accepted): refused at once once the sync bound is passed, or by
   the handshake timeout when the peer goes quiet.
With ENC_MB=N (MiB) set, also times an N MiB download from libtorrent with RC4 and in plaintext.
Prints "encryption: N passed, N failed".
"""
import os, socket, sys, tempfile, time
import libtorrent as lt
from btxpy import Btx, Tally, wait, lt_session, write_file, make_torrent, lt_seed, same_tree, magnet

btx = Btx(sys.argv[1])
T = Tally("encryption")
RC4, PLAIN = 0x80000, 0x100000          # BTX_PF_RC4_ENCRYPTED, BTX_PF_PLAINTEXT_ENCRYPTED
FORCED, ENABLED, DISABLED = 0, 1, 2
LT_POLICY = {FORCED: lt.enc_policy.forced, ENABLED: lt.enc_policy.enabled, DISABLED: lt.enc_policy.disabled}
LT_LEVEL = {1: lt.enc_level.plaintext, 2: lt.enc_level.rc4, 3: lt.enc_level.both}

# Neither side closes a seed-to-seed link, so the finished link can still be looked at.
def lt_enc(policy, level):
    return lt_session(in_enc_policy=LT_POLICY[policy], out_enc_policy=LT_POLICY[policy], allowed_enc_level=LT_LEVEL[level],
                      close_redundant_connections=False)

def our_session(policy, level):
    s = btx.session()
    btx.btx_set_bool(s, b"close_redundant_connections", 0)
    T.check(btx.btx_set_encryption_policy(s, policy, policy, level) == 0, f"btx_set_encryption_policy({policy}, {policy}, {level})")
    return s

def our_flags(t):
    return [int(p.get(45, "0")) for p in btx.peers(t)]

def lt_flags(h):
    return [int(p.flags) for p in h.get_peer_info()]

def enc_bits(flags):
    return sorted({f & (RC4 | PLAIN) for f in flags})

def content(root, seed, sizes):
    for i, (name, size) in enumerate(sizes.items()):
        write_file(os.path.join(root, "content", name), size, seed + i)
    return os.path.join(root, "content")

SIZES = {"a.bin": 1_500_001, "sub/b.bin": 300_007, "c.txt": 5}

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    data = make_torrent(content(src, 70, SIZES))
    hybrid = make_torrent(content(os.path.join(tmp, "hsrc"), 80, {"h.bin": 900_001}), v1_only=False)

    # a. libtorrent seeder (forced RC4) connects to our leecher.
    ses = lt_enc(FORCED, 2)
    h, ti, ok = lt_seed(ses, data, src)
    T.check(ok, "a: libtorrent seeds")
    s = our_session(FORCED, 3)
    dest = tempfile.mkdtemp(dir=tmp)
    t = btx.btx_add_torrent_file(s, data, len(data), dest.encode())
    wait(lambda: btx.status(t).get(2) in ("3", "4", "5"), 10)
    h.connect_peer(("127.0.0.1", btx.btx_listen_port(s)))
    T.check(wait(lambda: btx.status(t).get(2) == "5", 60), f"a: our leecher completes (state {btx.status(t).get(2)})")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(dest, "content")), "a: every byte matches")
    T.check(wait(lambda: enc_bits(our_flags(t)) == [RC4], 5), f"a: our peer list flags the link rc4_encrypted ({[hex(f) for f in our_flags(t)]})")
    T.check(wait(lambda: enc_bits(lt_flags(h)) == [RC4], 5), f"a: libtorrent flags it rc4_encrypted too ({[hex(f) for f in lt_flags(h)]})")
    btx.btx_session_free(s)

    # e. the same seeder by magnet: we dial, the metadata comes over RC4.
    s = our_session(FORCED, 2)
    dest = tempfile.mkdtemp(dir=tmp)
    t = btx.btx_add_magnet(s, magnet(ti, ses.listen_port()).encode(), dest.encode())
    T.check(wait(lambda: btx.status(t).get(2) == "5", 60), f"e: encrypted magnet download completes (state {btx.status(t).get(2)})")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(dest, "content")), "e: every byte matches")
    T.check(wait(lambda: enc_bits(our_flags(t)) == [RC4], 5), f"e: outgoing link rc4_encrypted ({[hex(f) for f in our_flags(t)]})")
    btx.btx_session_free(s)
    hh, hti, ok = lt_seed(ses, hybrid, os.path.join(tmp, "hsrc"))
    s = our_session(FORCED, 2)
    dest = tempfile.mkdtemp(dir=tmp)
    t = btx.btx_add_magnet(s, magnet(hti, ses.listen_port()).encode(), dest.encode())
    T.check(ok and wait(lambda: btx.status(t).get(2) == "5", 60), f"e: hybrid magnet over RC4 completes (state {btx.status(t).get(2)})")
    T.check(same_tree(os.path.join(tmp, "hsrc", "content"), os.path.join(dest, "content")), "e: hybrid bytes match")
    btx.btx_session_free(s)
    del ses

    # b. we seed; a forced-RC4 libtorrent leecher connects to us.
    s = our_session(FORCED, 3)
    t = btx.btx_add_torrent_file(s, data, len(data), src.encode())
    T.check(wait(lambda: btx.status(t).get(2) == "5", 30), "b: our session seeds")
    ses = lt_enc(FORCED, 2)
    ldest = tempfile.mkdtemp(dir=tmp)
    lh = ses.add_torrent({"ti": lt.torrent_info(lt.bdecode(data)), "save_path": ldest})
    lh.connect_peer(("127.0.0.1", btx.btx_listen_port(s)))
    T.check(wait(lambda: lh.status().is_seeding, 60), f"b: libtorrent leecher completes ({lh.status().progress:.2f})")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(ldest, "content")), "b: every byte matches")
    T.check(wait(lambda: enc_bits(our_flags(t)) == [RC4], 5), "b: our side of the link is rc4_encrypted")
    T.check(wait(lambda: enc_bits(lt_flags(lh)) == [RC4], 5), "b: and libtorrent's")
    btx.btx_session_free(s)
    del ses

    # c. plaintext level: MSE handshake, plaintext stream, both ways.
    ses = lt_enc(FORCED, 1)
    h, ti, ok = lt_seed(ses, data, src)
    s = our_session(FORCED, 1)
    btx.btx_set_bool(s, b"close_redundant_connections", 0)
    dest = tempfile.mkdtemp(dir=tmp)
    t = btx.btx_add_magnet(s, magnet(ti, ses.listen_port()).encode(), dest.encode())
    T.check(ok and wait(lambda: btx.status(t).get(2) == "5", 60), f"c: we download from libtorrent (state {btx.status(t).get(2)})")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(dest, "content")), "c: every byte matches")
    T.check(wait(lambda: enc_bits(our_flags(t)) == [PLAIN], 5), f"c: plaintext_encrypted ({[hex(f) for f in our_flags(t)]})")
    btx.btx_session_free(s)
    del ses
    s = our_session(FORCED, 1)
    t = btx.btx_add_torrent_file(s, data, len(data), src.encode())
    wait(lambda: btx.status(t).get(2) == "5", 30)
    ses = lt_enc(FORCED, 1)
    ldest = tempfile.mkdtemp(dir=tmp)
    lh = ses.add_torrent({"ti": lt.torrent_info(lt.bdecode(data)), "save_path": ldest})
    lh.connect_peer(("127.0.0.1", btx.btx_listen_port(s)))
    T.check(wait(lambda: lh.status().is_seeding, 60), "c: libtorrent downloads from us")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(ldest, "content")), "c: every byte matches")
    T.check(wait(lambda: enc_bits(lt_flags(lh)) == [PLAIN], 5), f"c: libtorrent flags plaintext_encrypted ({[hex(f) for f in lt_flags(lh)]})")
    btx.btx_session_free(s)
    del ses

    # d. ours forced, libtorrent disabled: no connection either way.
    ses = lt_enc(DISABLED, 3)
    h, ti, ok = lt_seed(ses, data, src)
    s = our_session(FORCED, 3)
    dest = tempfile.mkdtemp(dir=tmp)
    t = btx.btx_add_magnet(s, magnet(ti, ses.listen_port()).encode(), dest.encode())
    d2 = tempfile.mkdtemp(dir=tmp)
    t2 = btx.btx_add_torrent_file(s, hybrid, len(hybrid), d2.encode())
    h2 = ses.add_torrent({"ti": lt.torrent_info(lt.bdecode(hybrid)), "save_path": d2})
    h2.connect_peer(("127.0.0.1", btx.btx_listen_port(s)))
    connected = wait(lambda: btx.peers(t) or btx.peers(t2) or h.get_peer_info() or h2.get_peer_info(), 5)
    T.check(not connected, "d: no connection in 5 s, either direction")
    T.check(btx.status(t).get(2) not in ("4", "5") and btx.btx_listen_port(s) > 0, "d: nothing downloaded; our session still listens")
    btx.btx_session_free(s)
    del ses

    # f. our defaults.
    ses = lt_session(close_redundant_connections=False)
    h, ti, ok = lt_seed(ses, data, src)
    s = btx.session()
    btx.btx_set_bool(s, b"close_redundant_connections", 0)
    dest = tempfile.mkdtemp(dir=tmp)
    t = btx.btx_add_magnet(s, magnet(ti, ses.listen_port()).encode(), dest.encode())
    T.check(wait(lambda: btx.status(t).get(2) == "5", 60), "f: defaults: download completes")
    T.check(wait(lambda: enc_bits(our_flags(t)) == [PLAIN], 5), f"f: defaults: MSE with plaintext selected ({[hex(f) for f in our_flags(t)]})")
    btx.btx_session_free(s)
    del ses
    ses = lt_enc(DISABLED, 3)
    h, ti, ok = lt_seed(ses, data, src)
    s = btx.session()
    btx.btx_set_bool(s, b"close_redundant_connections", 0)
    dest = tempfile.mkdtemp(dir=tmp)
    t0 = time.time()
    t = btx.btx_add_magnet(s, magnet(ti, ses.listen_port()).encode(), dest.encode())
    T.check(wait(lambda: btx.status(t).get(2) == "5", 60), f"f: enabled vs disabled: plaintext fallback downloads ({time.time() - t0:.1f} s)")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(dest, "content")), "f: every byte matches")
    T.check(wait(lambda: enc_bits(our_flags(t)) == [0], 5), "f: the link is plain BitTorrent")
    btx.btx_session_free(s)
    del ses

    # g. hostile bytes at a listener that accepts MSE: refused within the specification's bounds.
    s = btx.session()
    port = btx.btx_listen_port(s)
    def closed_within(payload, seconds):
        c = socket.create_connection(("127.0.0.1", port), timeout=seconds + 2)
        t0 = time.time()
        try:
            c.sendall(payload)
            while c.recv(65536): pass
        except (ConnectionResetError, BrokenPipeError): pass
        except socket.timeout: return False, time.time() - t0
        finally: c.close()
        return time.time() - t0 <= seconds, time.time() - t0
    ok, secs = closed_within(os.urandom(5000), 2)
    T.check(ok, f"g: 5000 random bytes (no sync hash within 96+512+20) are refused at once ({secs:.2f} s)")
    ok, secs = closed_within(bytes(96), 2)
    T.check(ok, f"g: a public key of zero is refused at once ({secs:.2f} s)")
    ok, secs = closed_within(b"\x13BitTorrent protocoX" + bytes(48), 12)
    T.check(ok and secs >= 5, f"g: a short non-handshake waits for a key, then the handshake timeout closes it ({secs:.1f} s)")
    btx.btx_session_free(s)

    # Optional throughput: an ENC_MB MiB file from libtorrent, RC4 vs plaintext.
    mb = int(os.environ.get("ENC_MB", "0"))
    if mb:
        bsrc = os.path.join(tmp, "big")
        big = make_torrent(content(bsrc, 90, {"big.bin": mb << 20}), piece_size=1 << 20)
        for name, level in (("rc4", 2), ("plaintext", 1)):
            ses = lt_enc(FORCED, level)
            h, ti, ok = lt_seed(ses, big, bsrc, 300)
            s = our_session(FORCED, level)
            dest = tempfile.mkdtemp(dir=tmp)
            t = btx.btx_add_torrent_file(s, big, len(big), dest.encode())
            wait(lambda: btx.status(t).get(2) in ("3", "4", "5"), 10)
            t0 = time.time()
            h.connect_peer(("127.0.0.1", btx.btx_listen_port(s)))
            done = wait(lambda: btx.status(t).get(2) == "5", 600, 0.02)
            secs = time.time() - t0
            T.check(done and same_tree(bsrc, dest), f"{mb} MiB over {name}: {mb / secs:.0f} MiB/s ({secs:.1f} s)")
            btx.btx_session_free(s)
            del ses
sys.exit(T.finish())
