#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: torrents we create are the torrents libtorrent 2.0 sees, and data checks agree.

1. For v1, v2 and hybrid flags, btx_create_torrent makes a .torrent of a directory and of a
   single file; libtorrent loads it with the same info-hashes we report, and after a recheck of
   our content libtorrent is seeding it.
2. The reverse: a torrent libtorrent creates is added to our session with its data present; our
   check reaches state 5 (seeding) with the same info-hash.
Everything is local: libtorrent listens nowhere, we on 127.0.0.1 only; DHT/LSD/UPnP/NAT-PMP off.
Every wait is bounded.
"""
import ctypes, os, sys, tempfile
import libtorrent as lt
from btxpy import Btx, Tally, wait, lt_session, make_torrent, write_files

btx = Btx(sys.argv[1])
T = Tally("interop")
check = T.check
TRACKERS = b"udp://tracker.invalid:1/announce\nhttp://t2.invalid/announce"

def create(path, flags):
    n = btx.btx_create_torrent(path.encode(), 0, flags, TRACKERS, None, 0)
    if n >= 0:
        raise RuntimeError("create measure failed: %d %s" % (n, btx.last_error()))
    buf = ctypes.create_string_buffer(-n)
    m = btx.btx_create_torrent(path.encode(), 0, flags, TRACKERS, buf, -n)
    assert m == -n, (m, n, btx.last_error())
    return buf.raw[:m]

def write_payload(root):
    sizes = {"content/a.bin": 100_000, "content/sub/b.bin": 40_000, "content/sub/c.txt": 1, "content/z.bin": 70_000,
             "single.bin": 300_000}
    write_files(root, sizes, 7)
    return os.path.join(root, "content"), os.path.join(root, "single.bin")

def lt_seeds(torrent_bytes, save_path):
    """libtorrent (no listen socket) rechecks save_path against torrent_bytes: seeding within 30 s?"""
    ses = lt_session(listen_interfaces="")
    ti = lt.torrent_info(lt.bdecode(torrent_bytes))
    h = ses.add_torrent({"ti": ti, "save_path": save_path})
    h.force_recheck()
    return wait(lambda: h.status().state == lt.torrent_status.seeding, 30), ti

with tempfile.TemporaryDirectory() as root:
    content, single = write_payload(root)
    s = btx.session()
    check(s > 0, "session_new")
    for label, flags in (("hybrid", 0), ("v1", 64), ("v2", 32)):
        for kind, path in (("dir", content), ("file", single)):
            data = create(path, flags)
            ok, ti = lt_seeds(data, root)
            check(ok, f"libtorrent seeds our {label} {kind} torrent after a recheck")
            t = btx.btx_add_torrent_file(s, data, len(data), root.encode())
            check(t > 0, f"we add our {label} {kind} torrent ({btx.last_error()})")
            buf = ctypes.create_string_buffer(64)
            n = btx.btx_info_hash_hex(t, buf, 64)
            ours = buf.raw[:n].decode()
            ih = ti.info_hashes()
            theirs = str(ih.v1) if ih.has_v1() else str(ih.v2)
            check(ours == theirs, f"{label} {kind}: info-hash ours {ours} libtorrent {theirs}")
            if ih.has_v2():
                ours_v2 = btx.status(t).get(12)
                check(ours_v2 == ih.v2.to_bytes().hex(), f"{label} {kind}: v2 hash ours {ours_v2} libtorrent {ih.v2}")
    # The reverse direction: libtorrent creates, we check the data and seed.
    data = make_torrent(content, 0, v1_only=False)  # piece size 0: libtorrent chooses
    t = btx.btx_add_torrent_file(s, data, len(data), root.encode())
    check(t > 0, "we add libtorrent's hybrid torrent")
    wait(lambda: btx.status(t).get(2) == "5", 30)
    state = int(btx.status(t).get(2, "-1"))
    check(state == 5, f"our check of libtorrent's torrent reaches seeding (state {state})")
    btx.btx_session_free(s)

sys.exit(T.finish())
