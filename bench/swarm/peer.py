#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""One side of a swarm benchmark run, in its own process so its CPU time and peak RSS are its own.

  peer.py lt-seed   <torrent> <dir>             libtorrent checks, then seeds; prints its port
  peer.py btx-seed  <lib> <torrent> <dir>       we seed (checked first, untimed); prints our port
  peer.py lt-leech  <torrent> <dir> <port>      libtorrent downloads from 127.0.0.1:<port>
  peer.py btx-leech <lib> <magnet> <dir> <bytes>  we download from the magnet's x.pe peer
A seeder prints "port N" and runs until stdin closes, then prints one JSON line: its CPU seconds and
peak RSS (KiB) while serving -- both counted from the end of its check (the peak is reset there
through /proc/self/clear_refs). A leecher prints one JSON line: seconds from the connect to the
last piece, bytes, and its own user+system CPU seconds and peak RSS (KiB).
uTP, DHT, LSD, UPnP and NAT-PMP are off on both sides, as in ../../shared/perf-anchors.md.
"""
import ctypes, json, os, resource, sys, time

def usage():
    """CPU seconds so far and peak RSS in KiB. The peak is VmHWM, not ru_maxrss: the latter keeps
    the parent's resident set from before the exec (the parent just hashed the whole payload)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    with open("/proc/self/status") as f:
        hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    return r.ru_utime + r.ru_stime, hwm

def serve_until_stdin_closes(port):
    """Resets the peak RSS (clear_refs 5), announces the port, and reports the serving cost at the end."""
    with open("/proc/self/clear_refs", "w") as f: f.write("5")
    cpu0, _ = usage()
    print("port", port, flush=True)
    sys.stdin.read()
    cpu1, rss = usage()
    print(json.dumps({"cpu": cpu1 - cpu0, "rss_kib": rss}), flush=True)

def lt_session():
    import libtorrent as lt
    return lt, lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                           "enable_upnp": False, "enable_natpmp": False, "enable_outgoing_utp": False,
                           "enable_incoming_utp": False, "alert_mask": 0})

def btx_session(lib):
    b = ctypes.CDLL(lib)
    b.btx_add_torrent_file.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    b.btx_torrent_status.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
    b.btx_set_str.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p]
    b.btx_set_bool.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    s = b.btx_session_new()
    b.btx_set_str(s, b"listen_interfaces", b"127.0.0.1:0")
    for key in (b"enable_dht", b"enable_lsd", b"enable_upnp", b"enable_natpmp"): b.btx_set_bool(s, key, 0)
    b.btx_set_int.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p]
    for kv in os.environ.get("BTX_SETTINGS", "").split():  # e.g. BTX_SETTINGS="max_out_request_queue=1500"
        k, v = kv.split("=", 1)
        if b.btx_set_int(s, k.encode(), v.encode()) != 0: raise SystemExit("cannot set " + k)
    while b.btx_listen_port(s) <= 0: time.sleep(0.01)
    return b, s

def btx_state(b, t):
    buf = ctypes.create_string_buffer(8192)
    n = b.btx_torrent_status(t, buf, 8192)
    data, pos = buf.raw[:max(n, 0)], 2
    for _ in range(int.from_bytes(data[0:2], "big") if n > 0 else 0):
        fid, ln = data[pos], int.from_bytes(data[pos + 2:pos + 4], "big")
        if fid == 2: return data[pos + 4:pos + 4 + ln].decode()
        pos += 4 + ln
    return ""

def main():
    role, args = sys.argv[1], sys.argv[2:]
    if role == "lt-seed":
        lt, ses = lt_session()
        ti = lt.torrent_info(args[0])
        # A full check first (untimed), as perf-anchors' "pre-checked seeder": in seed_mode libtorrent
        # would hash each piece on its first upload, which slows every leecher the same way.
        h = ses.add_torrent({"ti": ti, "save_path": args[1]})
        while h.status().state != lt.torrent_status.seeding: time.sleep(0.02)
        serve_until_stdin_closes(ses.listen_port())
    elif role == "btx-seed":
        b, s = btx_session(args[0])
        data = open(args[1], "rb").read()
        t = b.btx_add_torrent_file(s, data, len(data), args[2].encode())
        while btx_state(b, t) != "5": time.sleep(0.05)
        serve_until_stdin_closes(b.btx_listen_port(s))
        b.btx_session_free(s)
    elif role == "lt-leech":
        lt, ses = lt_session()
        ti = lt.torrent_info(args[0])
        h = ses.add_torrent({"ti": ti, "save_path": args[1]})
        while h.status().state in (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data): time.sleep(0.01)
        cpu0, _ = usage()
        start = time.monotonic()
        h.connect_peer(("127.0.0.1", int(args[2])))
        while h.status().state != lt.torrent_status.seeding: time.sleep(0.01)
        took = time.monotonic() - start
        cpu1, rss = usage()
        print(json.dumps({"seconds": took, "bytes": ti.total_size(), "cpu": cpu1 - cpu0, "rss_kib": rss}), flush=True)
    elif role == "btx-leech":
        # No ABI call dials a peer, so ours starts from a magnet naming the seeder (x.pe): the
        # timing includes fetching the info dictionary (a few ms) that libtorrent's leecher is given.
        b, s = btx_session(args[0])
        b.btx_add_magnet.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p]
        cpu0, _ = usage()
        start = time.monotonic()
        t = b.btx_add_magnet(s, args[1].encode(), args[2].encode())
        while btx_state(b, t) != "5": time.sleep(0.01)
        took = time.monotonic() - start
        cpu1, rss = usage()
        print(json.dumps({"seconds": took, "bytes": int(args[3]), "cpu": cpu1 - cpu0, "rss_kib": rss}), flush=True)
        b.btx_session_free(s)
    else:
        raise SystemExit("unknown role " + role)

main()
