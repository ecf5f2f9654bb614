#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop, our engine only: peer exchange (BEP 11) between separate processes on 127.0.0.1.

Our seeder (this process, upload limited to 1 MB/s) seeds 8 MiB; three leecher processes start from
a magnet whose x.pe names only the seeder. Each leecher records the peers it is connected to and
whether any peer other than the seeder sent it data. Checks: every leecher completes and every byte
matches, each leecher was connected to at least two peers (so PEX told it about the others), some
leecher received data from another leecher, and the seeder uploaded less than the three copies it
would have had to send alone. Prints "pex: N passed, N failed".
"""
import json, os, subprocess, sys, tempfile, time
from btxpy import Btx, Tally, wait, write_file, make_torrent, magnet, same_tree
import libtorrent as lt

LIB = sys.argv[1]
btx = Btx(LIB)

def leecher(uri, dest, seeder):
    """Child process: download, watch the peer list, report as JSON, stay up until stdin closes."""
    s = btx.session()
    t = btx.btx_add_magnet(s, uri.encode(), dest.encode())
    most, from_others, done_at, start = 0, 0, None, time.time()
    while time.time() - start < 90:
        peers = btx.peers(t)
        most = max(most, len(peers))
        for p in peers:
            if p.get(40) != seeder and int(p.get(42, "0") or 0) > 0: from_others += 1
        if done_at is None and btx.status(t).get(2) == "5":
            done_at = time.time() - start
            print(json.dumps({"done": True, "seconds": done_at}), flush=True)
        if done_at is not None and time.time() - start > done_at + 0.5:
            break
        time.sleep(0.1)
    print(json.dumps({"done": done_at is not None, "most_peers": most, "from_others": from_others,
                      "downloaded": btx.stat_int(t, 16)}), flush=True)
    sys.stdin.read()  # others may still need our pieces
    btx.btx_session_free(s)

if len(sys.argv) > 2 and sys.argv[2] == "--leech":
    leecher(sys.argv[3], sys.argv[4], sys.argv[5])
    sys.exit(0)

T = Tally("pex")
SIZE = 8 << 20
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    write_file(os.path.join(src, "content", "data.bin"), SIZE, 3)
    data = make_torrent(os.path.join(src, "content"), piece_size=64 << 10)
    ti = lt.torrent_info(lt.bdecode(data))
    s = btx.session()
    btx.btx_set_int(s, b"upload_rate_limit", b"1000000")
    t = btx.btx_add_torrent_file(s, data, len(data), src.encode())
    T.check(wait(lambda: btx.status(t).get(2) == "5", 20), "our seeder checks its data")
    port = btx.btx_listen_port(s)
    uri = magnet(ti, port)
    dests = [tempfile.mkdtemp(dir=tmp) for _ in range(3)]
    kids = [subprocess.Popen([sys.executable, __file__, LIB, "--leech", uri, d, "127.0.0.1:%d" % port],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for d in dests]
    reports = []
    for k in kids:
        final = None
        deadline = time.time() + 100
        while time.time() < deadline:
            line = k.stdout.readline()
            if not line: break
            r = json.loads(line)
            if "most_peers" in r: final = r; break
        reports.append(final or {"done": False, "most_peers": 0, "from_others": 0, "downloaded": 0})
    uploaded = btx.stat_int(t, 17)
    for k in kids:
        try:
            k.stdin.close()
            k.wait(timeout=10)
        except subprocess.TimeoutExpired:
            k.kill()
    for i, (r, d) in enumerate(zip(reports, dests)):
        T.check(r["done"], f"leecher {i + 1} completes")
        T.check(same_tree(os.path.join(src, "content"), os.path.join(d, "content")), f"leecher {i + 1}: every byte matches")
        T.check(r["most_peers"] >= 2, f"leecher {i + 1} was connected to {r['most_peers']} peers (the seeder named only itself)")
    T.check(any(r["from_others"] > 0 for r in reports), "leechers downloaded from each other: " + ", ".join(str(r["from_others"]) for r in reports))
    T.check(0 < uploaded < 3 * SIZE, f"the seeder uploaded {uploaded} bytes, less than three copies ({3 * SIZE})")
    btx.btx_session_free(s)
sys.exit(T.finish())
