#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: pause/resume and remove in the middle of a transfer from a libtorrent 2.0 seeder.

We download 24 MiB at 4 MB/s (download limit) from a magnet whose x.pe names libtorrent.
1. Torrent pause at about 20% (auto-management off first, as libtorrent requires): our connections drop within 2 s and nothing more arrives for 2 s;
   resume: we reconnect and finish.
2. Session pause at about 20% of a second copy, then session resume: the same.
3. Remove at about 30% of a third copy: libtorrent sees us go within 3 s; adding it again into
   the same directory picks up the partial data and completes.
Every byte of every copy is compared. Prints "pause: N passed, N failed".
"""
import os, sys, tempfile, time
from btxpy import Btx, Tally, wait, lt_session, write_file, make_torrent, lt_seed, same_tree, magnet

btx = Btx(sys.argv[1])
T = Tally("pause")
SIZE = 24 << 20

def add(s, uri, dest):
    t = btx.btx_add_magnet(s, uri.encode(), dest.encode())
    T.check(t > 0, f"added ({btx.last_error()})")
    return t

def reaches(t, fraction, seconds=30):
    return wait(lambda: btx.stat_int(t, 16) >= fraction * SIZE, seconds)

def stalls(t, label):
    T.check(wait(lambda: btx.stat_int(t, 27) == 0 and not btx.peers(t), 2.5), f"{label}: connections closed")
    before = btx.stat_int(t, 16)
    time.sleep(2)
    T.check(btx.stat_int(t, 16) == before, f"{label}: nothing downloaded while paused")

def completes(t, dest, src, label):
    T.check(wait(lambda: btx.status(t).get(2) == "5", 60), f"{label}: completes")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(dest, "content")), f"{label}: every byte matches")

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    write_file(os.path.join(src, "content", "data.bin"), SIZE, 4)
    data = make_torrent(os.path.join(src, "content"), piece_size=256 << 10)
    ses = lt_session()
    h, ti, ok = lt_seed(ses, data, src)
    T.check(ok, "libtorrent seeds")
    uri = magnet(ti, ses.listen_port())
    s = btx.session()
    btx.btx_set_int(s, b"download_rate_limit", b"4000000")

    def pause_resume(label, pause, resume):
        """A fresh copy to 20%, pause(t): it stalls; resume(t): it completes."""
        dest = tempfile.mkdtemp(dir=tmp)
        t = add(s, uri, dest)
        T.check(reaches(t, 0.2), f"{label}: 20% downloaded")
        pause(t)
        stalls(t, f"{label} pause")
        resume(t)
        completes(t, dest, src, f"{label} resume")
        btx.btx_remove(s, t, 0)

    def torrent_pause(t):
        # As in libtorrent, the queue resumes a paused auto-managed torrent: take it out of the queue first.
        btx.btx_unset_torrent_flags(t, b"32")
        btx.btx_pause(t)

    # 1. torrent pause / resume
    pause_resume("torrent", torrent_pause, btx.btx_resume)
    # 2. session pause / resume
    pause_resume("session", lambda t: btx.btx_session_pause(s), lambda t: btx.btx_session_resume(s))

    # 3. remove mid-transfer, then add again over the partial data
    dest = tempfile.mkdtemp(dir=tmp)
    t = add(s, uri, dest)
    T.check(reaches(t, 0.3), "remove: 30% downloaded")
    count = btx.btx_torrent_count(s)
    T.check(btx.btx_remove(s, t, 0) == 0, "removed mid-transfer")
    T.check(btx.btx_torrent_count(s) == count - 1, "the torrent is gone from the session")
    T.check(wait(lambda: h.status().num_peers == 0, 3), "libtorrent sees our connection close")
    t = add(s, uri, dest)
    completes(t, dest, src, "added again after the remove")
    btx.btx_session_free(s)
    ses.remove_torrent(h)
sys.exit(T.finish())
