#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: rate limits, measured over 10 s against libtorrent 2.0 on 127.0.0.1.

1. libtorrent seeds 40 MiB; our session downloads it with download_rate_limit = 2,000,000 B/s
   (session setting), then with only a per-torrent limit of 1,000,000 B/s; each rate, measured
   over 10 s from our all-time download counter, must be within 10% of the limit.
2. Our session seeds it with upload_rate_limit = 1,500,000 B/s to a libtorrent leecher; the rate
   libtorrent receives over 10 s must be within 10%.
Limits are lifted afterwards and every byte of both copies is compared. Prints "ratelimit: N passed, N failed".
"""
import os, sys, tempfile, time
import libtorrent as lt
from btxpy import Btx, Tally, wait, lt_session, write_file, make_torrent, lt_seed, same_tree

btx = Btx(sys.argv[1])
T = Tally("ratelimit")
SIZE = 40 << 20

def measure(sample, seconds=10.0):
    """Bytes per second of a growing counter over `seconds`."""
    b0, t0 = sample(), time.monotonic()
    time.sleep(seconds)
    b1, t1 = sample(), time.monotonic()
    return (b1 - b0) / (t1 - t0)

def within(rate, limit, label):
    T.check(abs(rate - limit) <= 0.10 * limit, f"{label}: {rate / 1e6:.3f} MB/s against a limit of {limit / 1e6:.3f} MB/s ({(rate / limit - 1) * 100:+.1f}%)")

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    write_file(os.path.join(src, "content", "big.bin"), SIZE, 5)
    data = make_torrent(os.path.join(src, "content"), piece_size=256 << 10)
    s = btx.session()
    T.check(btx.btx_listen_port(s) > 0, "we listen on 127.0.0.1")

    # 1. download limits
    btx.btx_set_int(s, b"download_rate_limit", b"2000000")
    ses = lt_session()
    h, ti, ok = lt_seed(ses, data, src)
    T.check(ok, "libtorrent seeds")
    dest = tempfile.mkdtemp(dir=tmp)
    t = btx.btx_add_torrent_file(s, data, len(data), dest.encode())
    T.check(t > 0, f"added ({btx.last_error()})")
    wait(lambda: btx.status(t).get(2) in ("3", "4", "5"), 10)
    h.connect_peer(("127.0.0.1", btx.btx_listen_port(s)))
    T.check(wait(lambda: btx.stat_int(t, 16) > 1_000_000, 15), "the download starts")
    within(measure(lambda: btx.stat_int(t, 16)), 2_000_000, "session download_rate_limit")
    btx.btx_set_int(s, b"download_rate_limit", b"0")
    btx.btx_set_torrent_limits(t, b"1000000", None)
    time.sleep(1.0)  # let the bucket settle to the new limit
    within(measure(lambda: btx.stat_int(t, 16)), 1_000_000, "per-torrent download limit")
    btx.btx_set_torrent_limits(t, b"0", None)
    T.check(wait(lambda: btx.status(t).get(2) == "5", 60), "the download completes once the limit is lifted")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(dest, "content")), "every downloaded byte matches")
    ses.remove_torrent(h)
    del ses

    # 2. upload limit: we seed the copy we just downloaded
    btx.btx_set_int(s, b"upload_rate_limit", b"1500000")
    ses = lt_session()
    ldest = tempfile.mkdtemp(dir=tmp)
    h = ses.add_torrent({"ti": lt.torrent_info(lt.bdecode(data)), "save_path": ldest})
    h.connect_peer(("127.0.0.1", btx.btx_listen_port(s)))
    T.check(wait(lambda: h.status().total_payload_download > 1_000_000, 15), "libtorrent starts downloading from us")
    within(measure(lambda: h.status().total_payload_download), 1_500_000, "session upload_rate_limit")
    btx.btx_set_int(s, b"upload_rate_limit", b"0")
    T.check(wait(lambda: h.status().state == lt.torrent_status.seeding, 60), "libtorrent completes once the limit is lifted")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(ldest, "content")), "every uploaded byte matches")
    del ses
    btx.btx_session_free(s)

sys.exit(T.finish())
