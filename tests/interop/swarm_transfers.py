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
import os, sys, tempfile, time
import libtorrent as lt
from btxpy import Btx, Tally, wait, lt_session, lt_seed, make_torrent, magnet, write_files, same_tree

SIZE_SCALE = int(os.environ.get("SWARM_MB", "0"))  # optional extra large file (MiB) to measure throughput
btx = Btx(sys.argv[1])
T = Tally("swarm")
check = T.check

def write_content(root):
    d = os.path.join(root, "content")
    sizes = {"a.bin": 1_000_000, "sub/b.bin": 300_001, "sub/c.txt": 5, "sub/empty.dat": 0, "z.bin": 777_777}
    if SIZE_SCALE: sizes["big.bin"] = SIZE_SCALE << 20
    write_files(d, sizes, 11)
    return d, sorted(sizes)

def same_files(a_root, b_root, files):
    return same_tree(os.path.join(a_root, "content"), os.path.join(b_root, "content"), files)

def download_with_us(s, label, data, src_root, files, by_magnet):
    ses = lt_session()
    h, ti, ok = lt_seed(ses, data, src_root, 30)
    check(ok, f"{label}: libtorrent seeds")
    dest = tempfile.mkdtemp(dir=os.path.dirname(src_root))
    if by_magnet:
        uri = magnet(ti, ses.listen_port())
        t = btx.btx_add_magnet(s, uri.encode(), dest.encode())
    else:
        t = btx.btx_add_torrent_file(s, data, len(data), dest.encode())
    check(t > 0, f"{label}: added ({btx.last_error()})")
    if not by_magnet:
        port = btx.btx_listen_port(s)
        wait(lambda: btx.status(t).get(2) in ("3", "4", "5"), 10)
        h.connect_peer(("127.0.0.1", port))
    start = time.time()
    done = wait(lambda: btx.status(t).get(2) == "5", 60)
    took = time.time() - start
    st = btx.status(t)
    total = int(st.get(15, "0"))
    check(done, f"{label}: our torrent reaches seeding (state {st.get(2)}, peers {st.get(8)}, done {st.get(6)})")
    if done:
        print(f"  {label}: {total} bytes in {took:.2f} s ({total / max(took, 1e-3) / 1e6:.1f} MB/s incl. connect)", flush=True)
    check(same_files(src_root, dest, files), f"{label}: every byte matches")
    # The counters are published by the swarm's 200 ms tick.
    wait(lambda: int(btx.status(t).get(16, "0")) >= total, 3)
    st = btx.status(t)
    check(int(st.get(16, "0")) >= total > 0, f"{label}: all-time download {st.get(16)} covers {total}")
    ses.remove_torrent(h)
    del ses
    return t, dest

def upload_to_libtorrent(s, label, data, our_root, files, tmp, by_magnet=False):
    ses = lt_session()
    ti = lt.torrent_info(lt.bdecode(data))
    dest = tempfile.mkdtemp(dir=tmp)
    if by_magnet:
        # libtorrent gets the info dictionary from us (BEP 9), then the data.
        p = lt.parse_magnet_uri(magnet(ti, name=None))
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
    s = btx.session()
    check(s > 0, "session_new")
    check(wait(lambda: btx.btx_listen_port(s) > 0, 10), "we listen on 127.0.0.1")
    kinds = [("v1", True, False), ("hybrid", False, False), ("v2", False, True)]
    if os.environ.get("SWARM_ONLY"): kinds = [k for k in kinds if k[0] == os.environ["SWARM_ONLY"]]
    for label, v1_only, v2_only in kinds:
        data = make_torrent(content, 65536, v1_only, v2_only)
        t, ours = download_with_us(s, f"{label} .torrent from libtorrent", data, src, files, by_magnet=False)
        upload_to_libtorrent(s, f"{label} seeded by us to libtorrent", data, ours, files, tmp)
        upload_to_libtorrent(s, f"{label} seeded by us to a libtorrent magnet", data, ours, files, tmp, by_magnet=True)
        btx.btx_remove(s, t, 0)
        t, ours = download_with_us(s, f"{label} magnet (x.pe) from libtorrent", data, src, files, by_magnet=True)
        # What we fetched by magnet we serve by magnet: for v2 libtorrent needs the piece layers,
        # which we only have if the hash requests of our own download got them.
        upload_to_libtorrent(s, f"{label} fetched by magnet, seeded by us to a libtorrent magnet", data, ours, files, tmp, by_magnet=True)
    btx.btx_session_free(s)
sys.exit(T.finish())
