#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: real transfers between our engine and libtorrent 2.0 on 127.0.0.1.

1. libtorrent seeds a generated multi-file v1 torrent, a hybrid one and a v2-only one; our session
   downloads each (a) from the .torrent file, libtorrent connecting to our listen port, and (b) from
   a magnet link with x.pe=127.0.0.1:<port>, which fetches the metadata with BEP 9 first (and for
   v2, the piece layers with BEP 52 hash requests). Every byte of every file is compared.
2. Our session seeds; a libtorrent leecher connects to our listen port and downloads every file,
   from the .torrent and from a magnet (metadata, and for v2 the piece layers, from us).
Everything is loopback only: DHT/LSD/UPnP/NAT-PMP and uTP are off. Every wait is bounded.
Prints "swarm: N passed, N failed".
"""
import ctypes, os, sys, tempfile, time, random, filecmp
import libtorrent as lt
from btxpy import wait, lt_session  # shared interop helpers

LIB = sys.argv[1]
SIZE_SCALE = int(os.environ.get("SWARM_MB", "0"))  # optional extra large file (MiB) to measure throughput
btx = ctypes.CDLL(LIB)
btx.btx_add_torrent_file.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
btx.btx_add_magnet.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p]
btx.btx_torrent_status.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
btx.btx_last_error.argtypes = [ctypes.c_void_p, ctypes.c_int]
btx.btx_set_str.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p]
btx.btx_set_bool.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int]

passed = failed = 0
def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
        print("ok:", what, flush=True)
    else:
        failed += 1
        print("FAIL:", what, flush=True)

def last_error():
    buf = ctypes.create_string_buffer(4096)
    n = btx.btx_last_error(buf, 4096)
    return buf.raw[:max(n, 0)].decode()

def status(t):
    buf = ctypes.create_string_buffer(16384)
    n = btx.btx_torrent_status(t, buf, 16384)
    data = buf.raw[:max(n, 0)]
    out = {}
    if n <= 0: return out
    count, pos = int.from_bytes(data[0:2], "big"), 2
    for _ in range(count):
        fid, ln = data[pos], int.from_bytes(data[pos + 2:pos + 4], "big")
        out[fid] = data[pos + 4:pos + 4 + ln].decode(errors="replace"); pos += 4 + ln
    return out


def write_content(root):
    rnd = random.Random(11)
    d = os.path.join(root, "content")
    os.makedirs(os.path.join(d, "sub"))
    sizes = {"a.bin": 1_000_000, "sub/b.bin": 300_001, "sub/c.txt": 5, "sub/empty.dat": 0, "z.bin": 777_777}
    if SIZE_SCALE: sizes["big.bin"] = SIZE_SCALE << 20
    for rel, size in sizes.items():
        with open(os.path.join(d, rel), "wb") as f:
            for at in range(0, size, 1 << 20):
                f.write(rnd.randbytes(min(1 << 20, size - at)))
    return d, sorted(sizes)

def make_torrent(content, v1_only, v2_only=False):
    fs = lt.file_storage()
    lt.add_files(fs, content)
    flags = lt.create_torrent.v1_only if v1_only else lt.create_torrent.v2_only if v2_only else 0
    ct = lt.create_torrent(fs, 65536, flags=flags)
    lt.set_piece_hashes(ct, os.path.dirname(content))
    return lt.bencode(ct.generate())


def same_files(a_root, b_root, files):
    for rel in files:
        a, b = os.path.join(a_root, "content", rel), os.path.join(b_root, "content", rel)
        if not os.path.exists(b) or not filecmp.cmp(a, b, shallow=False): return False
    return True

def lt_seed(ses, data, save_path):
    ti = lt.torrent_info(lt.bdecode(data))
    h = ses.add_torrent({"ti": ti, "save_path": save_path})
    ok = wait(lambda: h.status().state == lt.torrent_status.seeding, 30)
    return h, ti, ok

def magnet_of(ti):
    # A v2-only torrent has no btih; its magnet names only the btmh (SHA-256 multihash).
    ih = ti.info_hashes()
    xts = []
    if ih.has_v1(): xts.append("xt=urn:btih:" + str(ih.v1))
    if ih.has_v2(): xts.append("xt=urn:btmh:1220" + str(ih.v2))
    return "magnet:?" + "&".join(xts)

def download_with_us(s, label, data, src_root, files, magnet):
    ses = lt_session()
    h, ti, ok = lt_seed(ses, data, src_root)
    check(ok, f"{label}: libtorrent seeds")
    dest = tempfile.mkdtemp(dir=os.path.dirname(src_root))
    if magnet:
        uri = magnet_of(ti) + "&dn=content&x.pe=127.0.0.1:%d" % ses.listen_port()
        t = btx.btx_add_magnet(s, uri.encode(), dest.encode())
    else:
        t = btx.btx_add_torrent_file(s, data, len(data), dest.encode())
    check(t > 0, f"{label}: added ({last_error()})")
    if not magnet:
        port = btx.btx_listen_port(s)
        wait(lambda: status(t).get(2) in ("3", "4", "5"), 10)
        h.connect_peer(("127.0.0.1", port))
    start = time.time()
    done = wait(lambda: status(t).get(2) == "5", 60)
    took = time.time() - start
    st = status(t)
    total = int(st.get(15, "0"))
    check(done, f"{label}: our torrent reaches seeding (state {st.get(2)}, peers {st.get(8)}, done {st.get(6)})")
    if done:
        print(f"  {label}: {total} bytes in {took:.2f} s ({total / max(took, 1e-3) / 1e6:.1f} MB/s incl. connect)", flush=True)
    check(same_files(src_root, dest, files), f"{label}: every byte matches")
    # The counters are published by the swarm's 200 ms tick.
    wait(lambda: int(status(t).get(16, "0")) >= total, 3)
    st = status(t)
    check(int(st.get(16, "0")) >= total > 0, f"{label}: all-time download {st.get(16)} covers {total}")
    ses.remove_torrent(h)
    del ses
    return t, dest

def upload_to_libtorrent(s, label, data, our_root, files, tmp, magnet=False):
    ses = lt_session()
    ti = lt.torrent_info(lt.bdecode(data))
    dest = tempfile.mkdtemp(dir=tmp)
    if magnet:
        # libtorrent gets the info dictionary from us (BEP 9), then the data.
        p = lt.parse_magnet_uri(magnet_of(ti))
        p.save_path = dest
        h = ses.add_torrent(p)
    else:
        h = ses.add_torrent({"ti": ti, "save_path": dest})
    h.connect_peer(("127.0.0.1", btx.btx_listen_port(s)))
    start = time.time()
    ok = wait(lambda: h.status().state == lt.torrent_status.seeding, 60)
    took = time.time() - start
    st = h.status()
    check(ok, f"{label}: libtorrent downloads from us (state {st.state}, peers {st.num_peers}, done {st.total_done})")
    if ok:
        print(f"  {label}: {ti.total_size()} bytes in {took:.2f} s ({ti.total_size() / max(took, 1e-3) / 1e6:.1f} MB/s incl. connect)", flush=True)
    check(same_files(our_root, dest, files), f"{label}: every byte matches")
    del ses

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    os.makedirs(src)
    content, files = write_content(src)
    s = btx.btx_session_new()
    check(s > 0, "session_new")
    btx.btx_set_str(s, b"listen_interfaces", b"127.0.0.1:0")
    for key in (b"enable_dht", b"enable_lsd", b"enable_upnp", b"enable_natpmp"):
        btx.btx_set_bool(s, key, 0)
    check(wait(lambda: btx.btx_listen_port(s) > 0, 10), "we listen on 127.0.0.1")
    kinds = [("v1", True, False), ("hybrid", False, False), ("v2", False, True)]
    if os.environ.get("SWARM_ONLY"): kinds = [k for k in kinds if k[0] == os.environ["SWARM_ONLY"]]
    for label, v1_only, v2_only in kinds:
        data = make_torrent(content, v1_only, v2_only)
        t, ours = download_with_us(s, f"{label} .torrent from libtorrent", data, src, files, magnet=False)
        upload_to_libtorrent(s, f"{label} seeded by us to libtorrent", data, ours, files, tmp)
        upload_to_libtorrent(s, f"{label} seeded by us to a libtorrent magnet", data, ours, files, tmp, magnet=True)
        btx.btx_remove(s, t, 0)
        t, ours = download_with_us(s, f"{label} magnet (x.pe) from libtorrent", data, src, files, magnet=True)
        # What we fetched by magnet we serve by magnet: for v2 libtorrent needs the piece layers,
        # which we only have if the hash requests of our own download got them.
        upload_to_libtorrent(s, f"{label} fetched by magnet, seeded by us to a libtorrent magnet", data, ours, files, tmp, magnet=True)
    btx.btx_session_free(s)

print(f"swarm: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
