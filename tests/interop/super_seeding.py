#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: super-seeding (BEP 16) by our seeder to libtorrent 2.0 leechers on 127.0.0.1.

Our session seeds 12 MiB in 64 KiB pieces; three libtorrent leechers connect to it and to each other.
1. With the torrent flag super_seeding (256) set: the flag reads back in F_FLAGS; each leecher never
   sees more than two of our pieces beyond the ones it has itself, and never sees us as a seed; every leecher completes byte-exact; our
   upload (F_ALL_TIME_UPLOAD) stays near one copy of the torrent.
2. The same without the flag: our upload is measured and must be clearly above the super-seeding one;
   and with strict_super_seeding (a piece is passed on to another peer before the next is revealed).
3. A raw wire peer (fast extension): it hears HAVE NONE and exactly two HAVEs; a request for a piece
   it was not told of is rejected, one for a revealed piece is served.
4. Super-seeding to rate-limited leechers, switched off mid-transfer: every leecher then sees all
   pieces on its connection to us, and completes.
uTP, DHT, LSD, UPnP and NAT-PMP are off; every wait is bounded. Prints "super_seeding: N passed, N failed".
"""
import os, socket, struct, sys, tempfile, time
import libtorrent as lt
from btxpy import Btx, Tally, wait, lt_session, write_file, make_torrent, same_tree, recv_exact

LIB = sys.argv[1]
btx = Btx(LIB)
T = Tally("super_seeding")
SIZE, PIECE = 12 << 20, 64 << 10
PIECES = SIZE // PIECE
SUPER = 256
F_STATE, F_ALL_TIME_UPLOAD, F_FLAGS = 2, 17, 28
SEEDING = "5"


def our_peer(h, port):
    """libtorrent's peer_info of its connection to our seeder, or None."""
    for p in h.get_peer_info():
        if p.ip[1] == port: return p
    return None


def start_seed(data, src, super_on, strict=False):
    s = btx.session()
    if strict:
        T.check(btx.btx_set_bool(s, b"strict_super_seeding", 1) == 0, "strict_super_seeding is accepted")
    t = btx.btx_add_torrent_file(s, data, len(data), src.encode())
    T.check(wait(lambda: btx.status(t).get(F_STATE) == SEEDING, 30), "our seeder checks its data into seeding")
    if super_on:
        btx.btx_set_torrent_flags(t, str(SUPER).encode(), str(SUPER).encode())
        flags = btx.stat_int(t, F_FLAGS)
        T.check(flags & SUPER, f"super_seeding reads back in F_FLAGS ({flags})")
    return s, t


def start_leechers(ti, tmp, port, count, limit=0):
    """Leechers connected to us and to each other; limit caps each one's torrent download rate
    (a torrent limit binds loopback peers, which libtorrent's session limits exempt)."""
    sessions, handles, dests = [], [], []
    for i in range(count):
        ses = lt_session()
        dest = tempfile.mkdtemp(dir=tmp)
        sessions.append(ses); dests.append(dest)
        h = ses.add_torrent({"ti": ti, "save_path": dest})
        if limit: h.set_download_limit(limit)
        handles.append(h)
    for i, h in enumerate(handles):
        h.connect_peer(("127.0.0.1", port))
        for j, other in enumerate(sessions):
            if j != i: h.connect_peer(("127.0.0.1", other.listen_port()))
    return sessions, handles, dests


def swarm(data, ti, src, tmp, super_on, strict=False):
    """One transfer to three leechers; returns our upload in bytes."""
    s, t = start_seed(data, src, super_on, strict)
    port = btx.btx_listen_port(s)
    sessions, handles, dests = start_leechers(ti, tmp, port, 3)
    most = [0] * 3              # the most pieces a leecher ever saw on its connection to us
    ahead = [0] * 3             # the most pieces it saw on us beyond the ones it had itself
    deadline = time.time() + 120
    while time.time() < deadline and not all(h.status().is_seeding for h in handles):
        for i, h in enumerate(handles):
            p = our_peer(h, port)
            if p is None or h.status().is_seeding: continue
            n = sum(1 for b in p.pieces if b)
            have = h.status().num_pieces  # read after the peer's pieces: both only grow
            most[i] = max(most[i], n)
            ahead[i] = max(ahead[i], n - have)
        time.sleep(0.02)
    label = ("strict super-seeding" if strict else "super-seeding") if super_on else "plain seeding"
    for i, (h, d) in enumerate(zip(handles, dests)):
        T.check(h.status().is_seeding, f"{label}: leecher {i + 1} completes")
        T.check(same_tree(os.path.join(src, "content"), os.path.join(d, "content")), f"{label}: leecher {i + 1}: every byte matches")
        if super_on:
            # We reveal a piece only once the leecher has the earlier ones: never more than two ahead.
            T.check(0 < most[i] and ahead[i] <= 2, f"{label}: leecher {i + 1} saw at most {ahead[i]} of our pieces beyond its own")
            T.check(most[i] < PIECES, f"{label}: leecher {i + 1} never sees us as a seed (at most {most[i]} of {PIECES})")
    wait(lambda: btx.stat_int(t, F_ALL_TIME_UPLOAD) > 0, 5)
    time.sleep(1)  # the status counters are published once a tick
    uploaded = btx.stat_int(t, F_ALL_TIME_UPLOAD)
    print(f"{label}: we uploaded {uploaded} bytes = {uploaded / SIZE:.2f} x the torrent", flush=True)
    btx.btx_session_free(s)
    del handles, sessions
    return uploaded


def read_msg(c):
    head = recv_exact(c, 4)
    n = struct.unpack(">I", head)[0]
    return recv_exact(c, n) if n else b""


def raw_peer(data, ti, src):
    """A wire-protocol peer checks the have set and the request rule directly."""
    s, t = start_seed(data, src, True)
    port = btx.btx_listen_port(s)
    info_hash = bytes.fromhex(str(ti.info_hashes().v1))
    c = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        reserved = bytes([0, 0, 0, 0, 0, 0x10, 0, 0x04])  # extension protocol + fast extension
        c.sendall(b"\x13BitTorrent protocol" + reserved + info_hash + b"-XX0001-" + b"r" * 12)
        hs = recv_exact(c, 68)
        T.check(hs[28:48] == info_hash, "raw peer: handshake for our torrent")
        have_none, haves, other_have_set = False, [], False
        c.sendall(struct.pack(">IB", 1, 2))  # interested
        unchoked, end = False, time.time() + 10
        while time.time() < end and not (unchoked and len(haves) >= 2):
            m = read_msg(c)
            if not m: continue
            if m[0] == 0x0F: have_none = True
            elif m[0] == 4: haves.append(struct.unpack(">I", m[1:5])[0])
            elif m[0] in (5, 0x0E, 0x11): other_have_set = True  # bitfield, have all, allowed fast
            elif m[0] == 1: unchoked = True
        T.check(have_none and not other_have_set, "raw peer: hears HAVE NONE, no bitfield, HAVE ALL or allowed-fast set")
        T.check(len(haves) == 2 and len(set(haves)) == 2, f"raw peer: told of exactly two pieces ({haves})")
        T.check(unchoked, "raw peer: unchoked once interested")
        hidden = next(i for i in range(PIECES) if i not in haves)
        c.sendall(struct.pack(">IBIII", 13, 6, hidden, 0, 16384))
        c.sendall(struct.pack(">IBIII", 13, 6, haves[0], 0, 16384))
        rejected = served = False
        end = time.time() + 10
        while time.time() < end and not (rejected and served):
            m = read_msg(c)
            if not m: continue
            if m[0] == 0x10 and struct.unpack(">I", m[1:5])[0] == hidden: rejected = True
            if m[0] == 7 and struct.unpack(">I", m[1:5])[0] == haves[0]: served = True
            if m[0] == 7 and struct.unpack(">I", m[1:5])[0] == hidden: break
        T.check(rejected, f"raw peer: a request for untold piece {hidden} is rejected")
        T.check(served, f"raw peer: a request for revealed piece {haves[0]} is served")
    except (ConnectionError, OSError, socket.timeout) as e:
        T.check(False, f"raw peer: connection failed: {e}")
    finally:
        c.close()
        btx.btx_session_free(s)


def switch_off(data, ti, src, tmp):
    """Rate-limited leechers: the flag goes off mid-transfer and they learn every piece."""
    s, t = start_seed(data, src, True)
    port = btx.btx_listen_port(s)
    sessions, handles, dests = start_leechers(ti, tmp, port, 2, 1_000_000)
    T.check(wait(lambda: all(h.status().progress > 0.1 for h in handles), 30), "switch-off: the leechers are under way")
    T.check(all((p := our_peer(h, port)) is not None and not p.flags & lt.peer_info.seed for h in handles),
            "switch-off: before, the leechers do not see us as a seed")
    btx.btx_unset_torrent_flags(t, str(SUPER).encode())
    T.check(not btx.stat_int(t, F_FLAGS) & SUPER, "switch-off: the flag reads back off")
    def all_seen():
        for h in handles:
            p = our_peer(h, port)
            if p is None or sum(1 for b in p.pieces if b) != PIECES: return False
        return True
    T.check(wait(all_seen, 10), "switch-off: every leecher sees all our pieces on its connection to us")
    T.check(wait(lambda: all(h.status().is_seeding for h in handles), 60), "switch-off: every leecher completes")
    for i, d in enumerate(dests):
        T.check(same_tree(os.path.join(src, "content"), os.path.join(d, "content")), f"switch-off: leecher {i + 1}: every byte matches")
    btx.btx_session_free(s)


with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    write_file(os.path.join(src, "content", "data.bin"), SIZE, 16)
    data = make_torrent(os.path.join(src, "content"), piece_size=PIECE)
    ti = lt.torrent_info(lt.bdecode(data))
    with_flag = swarm(data, ti, src, tempfile.mkdtemp(dir=tmp), True)
    without = swarm(data, ti, src, tempfile.mkdtemp(dir=tmp), False)
    print(f"upload with super_seeding {with_flag} bytes ({with_flag / SIZE:.2f} x), without {without} bytes ({without / SIZE:.2f} x)", flush=True)
    T.check(0 < with_flag <= 1.5 * SIZE, f"super-seeding uploaded at most 1.5 x the torrent ({with_flag / SIZE:.2f} x)")
    T.check(with_flag < without, f"super-seeding uploaded less than plain seeding ({with_flag} < {without})")
    strict = swarm(data, ti, src, tempfile.mkdtemp(dir=tmp), True, strict=True)
    T.check(0 < strict <= 1.5 * SIZE, f"strict super-seeding uploaded at most 1.5 x the torrent ({strict / SIZE:.2f} x)")
    raw_peer(data, ti, src)
    switch_off(data, ti, src, tempfile.mkdtemp(dir=tmp))
sys.exit(T.finish())
