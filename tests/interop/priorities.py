#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: file priorities against a libtorrent 2.0 seeder on 127.0.0.1 (issue 3, scenario 5).

libtorrent seeds three files whose boundaries fall inside pieces. We add the torrent with the
middle file at priority 0:
1. the torrent reaches finished (state 4), not seeding, and the skipped file is not created;
2. the wanted files match byte for byte (their boundary pieces, shared with the skipped file, are
   downloaded; the skipped file's bytes of those pieces go to the part file);
3. raising the skipped file to priority 4 downloads the rest: the torrent seeds and every byte of
   all three files matches (the part file's bytes moved into the file).
Prints "priorities: N passed, N failed".
"""
import os, sys, tempfile
from btxpy import Btx, Tally, wait, lt_session, write_file, make_torrent, lt_seed, same_tree

btx = Btx(sys.argv[1])
T = Tally("priorities")

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    sizes = {"a.bin": 1_000_003, "b-skipped.bin": 700_001, "c.bin": 500_007}
    for i, (name, size) in enumerate(sizes.items()):
        write_file(os.path.join(src, "content", name), size, 30 + i)
    data = make_torrent(os.path.join(src, "content"), piece_size=64 << 10)
    ses = lt_session()
    h, ti, ok = lt_seed(ses, data, src)
    T.check(ok, "libtorrent seeds")
    fs = ti.files()
    skipped = next(i for i in range(fs.num_files()) if fs.file_path(i).endswith("b-skipped.bin"))

    s = btx.session()
    dest = tempfile.mkdtemp(dir=tmp)
    t = btx.btx_add_torrent_file(s, data, len(data), dest.encode())
    T.check(t > 0 and btx.btx_set_file_priority(t, skipped, 0) == 0, "the middle file is set to priority 0")
    wait(lambda: btx.status(t).get(2) in ("3", "4", "5"), 10)
    h.connect_peer(("127.0.0.1", btx.btx_listen_port(s)))

    T.check(wait(lambda: btx.status(t).get(2) == "4", 60), f"finished, not seeding (state {btx.status(t).get(2)})")
    T.check(not wait(lambda: btx.status(t).get(2) == "5", 1), "it stays finished")
    T.check(not os.path.exists(os.path.join(dest, "content", "b-skipped.bin")), "the priority-0 file is not created")
    for name in ("a.bin", "c.bin"):
        with open(os.path.join(src, "content", name), "rb") as a, open(os.path.join(dest, "content", name), "rb") as b:
            T.check(a.read() == b.read(), f"{name} matches byte for byte")

    T.check(btx.btx_set_file_priority(t, skipped, 4) == 0, "the skipped file is wanted again")
    T.check(wait(lambda: btx.status(t).get(2) == "5", 60), f"the torrent seeds (state {btx.status(t).get(2)})")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(dest, "content")), "all three files match byte for byte")
    btx.btx_session_free(s)
sys.exit(T.finish())
