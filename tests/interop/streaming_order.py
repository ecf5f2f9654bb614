#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: sequential download and piece deadlines against a libtorrent 2.0 seeder on 127.0.0.1.

libtorrent seeds 16 MiB in 64 pieces; we download at 3 MB/s (download limit, so the order can be
observed) while polling our have bitfield every 20 ms to record the order pieces complete in.
1. Sequential download flag: pieces complete in index order (at least 90% of neighbours in order,
   and the first quarter to complete all lie in the first half of the torrent).
2. A fresh download with deadlines on the last four pieces: those four are among the first eight
   to complete (rarest-first alone would start anywhere).
Every byte is compared after each download. Prints "streaming: N passed, N failed".
"""
import os, sys, tempfile, time
from btxpy import Btx, Tally, wait, lt_session, write_file, make_torrent, lt_seed, same_tree

btx = Btx(sys.argv[1])
T = Tally("streaming")
SIZE, PIECE = 16 << 20, 256 << 10
SEQUENTIAL = b"512"

def download(s, data, src, tmp, setup):
    """Adds the torrent, applies setup(t), downloads from libtorrent; returns the completion order."""
    ses = lt_session()
    h, ti, ok = lt_seed(ses, data, src)
    dest = tempfile.mkdtemp(dir=tmp)
    t = btx.btx_add_torrent_file(s, data, len(data), dest.encode())
    setup(t)
    wait(lambda: btx.status(t).get(2) in ("3", "4", "5"), 10)
    h.connect_peer(("127.0.0.1", btx.btx_listen_port(s)))
    order, seen, deadline = [], set(), time.time() + 60
    while time.time() < deadline:
        have = btx.have(t)
        new = [i for i, b in enumerate(have) if b and i not in seen]
        order.extend(sorted(new))
        seen.update(new)
        if have and all(have): break
        time.sleep(0.02)
    T.check(wait(lambda: btx.status(t).get(2) == "5", 10), "the download completes")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(dest, "content")), "every byte matches")
    ses.remove_torrent(h)
    btx.btx_remove(s, t, 0)
    return order

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    write_file(os.path.join(src, "content", "movie.bin"), SIZE, 9)
    data = make_torrent(os.path.join(src, "content"), piece_size=PIECE)
    n = SIZE // PIECE
    s = btx.session()
    btx.btx_set_int(s, b"download_rate_limit", b"3000000")

    order = download(s, data, src, tmp, lambda t: btx.btx_set_torrent_flags(t, SEQUENTIAL, SEQUENTIAL))
    in_order = sum(1 for a, b in zip(order, order[1:]) if a < b)
    T.check(len(order) == n and in_order >= 0.9 * (n - 1), f"sequential: {in_order} of {n - 1} neighbours in index order")
    first = order[:n // 4]
    T.check(bool(first) and max(first) < n // 2, f"sequential: the first quarter to complete lies in the first half (max {max(first) if first else None})")

    last4 = list(range(n - 4, n))
    def with_deadlines(t):
        for i, p in enumerate(last4): btx.btx_set_piece_deadline(t, p, 100 * (i + 1))
    order = download(s, data, src, tmp, with_deadlines)
    T.check(set(last4) <= set(order[:8]), f"deadlines: pieces {last4} complete among the first eight ({order[:8]})")
    btx.btx_session_free(s)
sys.exit(T.finish())
