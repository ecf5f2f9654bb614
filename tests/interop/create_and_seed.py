#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: torrents we create are the torrents libtorrent 2.0 sees, and data checks agree.

1. For v1, v2 and hybrid flags, btx_create_torrent makes a .torrent of a directory and of a
   single file; libtorrent loads it with the same info-hashes we report, and after a recheck of
   our content libtorrent is seeding it.
2. The reverse: a torrent libtorrent creates is added to our session with its data present; our
   check reaches state 5 (seeding) with the same info-hash.
Everything is local: no listen sockets, DHT/LSD/UPnP/NAT-PMP off. Every wait is bounded.
"""
import ctypes, os, sys, tempfile, time, random
import libtorrent as lt

LIB = sys.argv[1]
btx = ctypes.CDLL(LIB)
btx.btx_create_torrent.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
btx.btx_add_torrent_file.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
btx.btx_info_hash_hex.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
btx.btx_torrent_status.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
btx.btx_last_error.argtypes = [ctypes.c_void_p, ctypes.c_int]

passed = failed = 0
def check(cond, what):
    global passed, failed
    if cond: passed += 1
    else:
        failed += 1
        print("FAIL:", what, flush=True)

def last_error():
    buf = ctypes.create_string_buffer(4096)
    n = btx.btx_last_error(buf, 4096)
    return buf.raw[:max(n, 0)].decode()

def create(path, flags):
    n = btx.btx_create_torrent(path.encode(), 0, flags, b"udp://tracker.invalid:1/announce\nhttp://t2.invalid/announce", None, 0)
    if n >= 0:
        raise RuntimeError("create measure failed: %d %s" % (n, last_error()))
    buf = ctypes.create_string_buffer(-n)
    m = btx.btx_create_torrent(path.encode(), 0, flags, b"udp://tracker.invalid:1/announce\nhttp://t2.invalid/announce", buf, -n)
    assert m == -n, (m, n, last_error())
    return buf.raw[:m]

def status_field(t, wanted):
    buf = ctypes.create_string_buffer(8192)
    n = btx.btx_torrent_status(t, buf, 8192)
    data = buf.raw[:max(n, 0)]
    count = int.from_bytes(data[0:2], "big") if n > 0 else 0
    pos = 2
    for _ in range(count):
        fid, ln = data[pos], int.from_bytes(data[pos + 2:pos + 4], "big")
        val = data[pos + 4:pos + 4 + ln]; pos += 4 + ln
        if fid == wanted: return val.decode()
    return None

def status_state(t):
    v = status_field(t, 2)
    return int(v) if v is not None else -1

def lt_session():
    return lt.session({"listen_interfaces": "", "enable_dht": False, "enable_lsd": False,
                       "enable_upnp": False, "enable_natpmp": False, "alert_mask": 0})

def write_payload(root):
    rnd = random.Random(7)
    d = os.path.join(root, "content")
    os.makedirs(os.path.join(d, "sub"))
    sizes = {"a.bin": 100_000, "sub/b.bin": 40_000, "sub/c.txt": 1, "z.bin": 70_000}
    for rel, size in sizes.items():
        with open(os.path.join(d, rel), "wb") as f:
            f.write(bytes(rnd.getrandbits(8) for _ in range(size)))
    single = os.path.join(root, "single.bin")
    with open(single, "wb") as f:
        f.write(bytes(rnd.getrandbits(8) for _ in range(300_000)))
    return d, single

def lt_seeds(torrent_bytes, save_path):
    ses = lt_session()
    ti = lt.torrent_info(lt.bdecode(torrent_bytes))
    h = ses.add_torrent({"ti": ti, "save_path": save_path})
    h.force_recheck()
    deadline = time.time() + 30
    while time.time() < deadline:
        st = h.status()
        if st.state == lt.torrent_status.seeding and not st.state == lt.torrent_status.checking_files:
            return True, ti
        time.sleep(0.05)
    return False, ti

with tempfile.TemporaryDirectory() as root:
    content, single = write_payload(root)
    s = btx.btx_session_new()
    check(s > 0, "session_new")
    for label, flags in (("hybrid", 0), ("v1", 64), ("v2", 32)):
        for kind, path in (("dir", content), ("file", single)):
            data = create(path, flags)
            ok, ti = lt_seeds(data, root)
            check(ok, f"libtorrent seeds our {label} {kind} torrent after a recheck")
            t = btx.btx_add_torrent_file(s, data, len(data), root.encode())
            check(t > 0, f"we add our {label} {kind} torrent ({last_error()})")
            buf = ctypes.create_string_buffer(64)
            n = btx.btx_info_hash_hex(t, buf, 64)
            ours = buf.raw[:n].decode()
            ih = ti.info_hashes()
            theirs = str(ih.v1) if ih.has_v1() else str(ih.v2)
            check(ours == theirs, f"{label} {kind}: info-hash ours {ours} libtorrent {theirs}")
            if ih.has_v2():
                ours_v2 = status_field(t, 12)
                check(ours_v2 == ih.v2.to_bytes().hex(), f"{label} {kind}: v2 hash ours {ours_v2} libtorrent {ih.v2}")
    # The reverse direction: libtorrent creates, we check the data and seed.
    fs = lt.file_storage()
    lt.add_files(fs, content)
    ct = lt.create_torrent(fs)
    lt.set_piece_hashes(ct, root)
    data = lt.bencode(ct.generate())
    t = btx.btx_add_torrent_file(s, data, len(data), root.encode())
    check(t > 0, "we add libtorrent's hybrid torrent")
    deadline = time.time() + 30
    state = -1
    while time.time() < deadline:
        state = status_state(t)
        if state == 5: break
        time.sleep(0.05)
    check(state == 5, f"our check of libtorrent's torrent reaches seeding (state {state})")
    btx.btx_session_free(s)

print(f"interop: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
