#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Time from btx_add_magnet to a known piece count (the info dictionary fetched with BEP 9 from the
magnet's x.pe peer, a libtorrent 2.0 seeder on 127.0.0.1). Five runs, each printed.

  /usr/bin/python3 bench/swarm/metadata_time.py dist/linux-x64/libtorrentxt.so
"""
import os, sys, tempfile, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "interop"))
from btxpy import Btx, wait, lt_session, write_file, make_torrent, lt_seed, magnet

btx = Btx(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    write_file(os.path.join(src, "content", "a.bin"), 4 << 20, 1)
    data = make_torrent(os.path.join(src, "content"))
    ses = lt_session()
    h, ti, ok = lt_seed(ses, data, src)
    s = btx.session()
    for i in range(5):
        dest = tempfile.mkdtemp(dir=tmp)
        t0 = time.monotonic()
        t = btx.btx_add_magnet(s, magnet(ti, ses.listen_port()).encode(), dest.encode())
        wait(lambda: btx.stat_int(t, 13) > 0, 10, step=0.002)
        print("metadata after %.3f s" % (time.monotonic() - t0), flush=True)
        btx.btx_remove(s, t, 0)
        time.sleep(0.3)
    btx.btx_session_free(s)
