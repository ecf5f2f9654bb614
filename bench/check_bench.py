#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Hash-check speed of a complete torrent: ours (btx_add_torrent_file until seeding) against
libtorrent's force_recheck of the same data in the same run, and sha1sum as the physical
yardstick. Page cache warm (the file is read once first). Prints MB/s and ratios.
Usage: check_bench.py <libtorrentxt.so> [size_mib] [runs]"""
import ctypes, os, subprocess, sys, tempfile, time
import libtorrent as lt

LIB, SIZE_MIB = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1024
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 3
btx = ctypes.CDLL(LIB)
btx.btx_add_torrent_file.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
btx.btx_torrent_status.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]

def state_of(t):
    buf = ctypes.create_string_buffer(8192)
    n = btx.btx_torrent_status(t, buf, 8192)
    data, pos = buf.raw[:max(n, 0)], 2
    for _ in range(int.from_bytes(data[0:2], "big") if n > 0 else 0):
        fid, ln = data[pos], int.from_bytes(data[pos + 2:pos + 4], "big")
        if fid == 2: return int(data[pos + 4:pos + 4 + ln])
        pos += 4 + ln
    return -1

def median(xs): return sorted(xs)[len(xs) // 2]

def ours(torrent, save):
    s = btx.btx_session_new()
    t0 = time.perf_counter()
    t = btx.btx_add_torrent_file(s, torrent, len(torrent), save.encode())
    while state_of(t) != 5:
        if time.perf_counter() - t0 > 120: raise RuntimeError("our check did not finish")
        time.sleep(0.002)
    dt = time.perf_counter() - t0
    btx.btx_session_free(s)
    return dt

def theirs(torrent, save, threads):
    ses = lt.session({"listen_interfaces": "", "enable_dht": False, "enable_lsd": False, "enable_upnp": False,
                      "enable_natpmp": False, "hashing_threads": threads, "alert_mask": 0})
    h = ses.add_torrent({"ti": lt.torrent_info(lt.bdecode(torrent)), "save_path": save,
                         "flags": lt.torrent_flags.paused})
    time.sleep(0.2)
    t0 = time.perf_counter()
    h.force_recheck(); h.resume()
    while True:
        st = h.status()
        if st.state == lt.torrent_status.seeding: break
        if time.perf_counter() - t0 > 120: raise RuntimeError("libtorrent check did not finish")
        time.sleep(0.002)
    return time.perf_counter() - t0

with tempfile.TemporaryDirectory(dir="/tmp") as root:
    path = os.path.join(root, "big.bin")
    with open(path, "wb") as f:
        block = os.urandom(1 << 20)
        for i in range(SIZE_MIB): f.write(block[i % 7:] + block[:i % 7])
    mb = SIZE_MIB * 1048576 / 1e6
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)   # warm the cache
    t0 = time.perf_counter(); subprocess.run(["sha1sum", path], stdout=subprocess.DEVNULL, check=True)
    sha1 = mb / (time.perf_counter() - t0)
    print(f"sha1sum (one core)            {sha1:8.0f} MB/s")
    t0 = time.perf_counter(); subprocess.run(["openssl", "sha1", path], stdout=subprocess.DEVNULL, check=True)
    ossl = mb / (time.perf_counter() - t0)
    print(f"openssl sha1 (one core)       {ossl:8.0f} MB/s   (2 cores would reach about {2*ossl:.0f})")
    for label, flags in (("v1", lt.create_torrent.v1_only), ("hybrid", 0)):
        fs = lt.file_storage(); lt.add_files(fs, path)
        ct = lt.create_torrent(fs, 0, flags=flags); lt.set_piece_hashes(ct, root)
        torrent = lt.bencode(ct.generate())
        o = median([ours(torrent, root) for _ in range(RUNS)])
        l1 = median([theirs(torrent, root, 1) for _ in range(RUNS)])
        l2 = median([theirs(torrent, root, 2) for _ in range(RUNS)])
        print(f"{label:6} check: ours {mb/o:8.0f} MB/s | libtorrent 1 thread {mb/l1:6.0f}, 2 threads {mb/l2:6.0f} MB/s"
              f" | ours/libtorrent(2) {l2/o:4.2f}x, ours/openssl-one-core {(mb/o)/ossl:4.2f}x")
