#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: Local Service Discovery (BEP 14) between our engine and libtorrent 2.0.

Runs itself inside a network namespace it creates (only its loopback device, up), so the
multicast announces on 239.192.152.143:6771 reach nobody else on the machine.
1. libtorrent seeds; our session adds a magnet with no peers and no trackers and downloads every
   byte from the peer LSD finds; libtorrent reports an lsd_peer for us (it heard our announce).
2. We seed; a libtorrent magnet with no peers downloads every byte from us.
Prints "lsd: N passed, N failed". Needs root (ip netns).
"""
import os, subprocess, sys, tempfile
import libtorrent as lt
from btxpy import Btx, Tally, wait, lt_session, make_torrent, magnet, write_files, same_tree

LIB = sys.argv[1]

def in_namespace():
    ns = f"btx-lsd-{os.getpid()}"
    if subprocess.run(["ip", "netns", "add", ns]).returncode != 0:
        print("FAIL: cannot create a network namespace (needs root and iproute2)\nlsd: 0 passed, 1 failed")
        return 1
    try:
        subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"], check=True)
        return subprocess.run(["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__), LIB, "--inside"], timeout=240).returncode
    finally:
        subprocess.run(["ip", "netns", "del", ns])

# libtorrent with LSD on, announcing every second; lsd_peer alerts tell us it heard our announce.
LT_LSD = {"enable_lsd": True, "local_service_announce_interval": 1, "alert_mask": lt.alert.category_t.peer_notification,
          "allow_multiple_connections_per_ip": False}

def main():
    btx, T = Btx(LIB), Tally("lsd")
    check = T.check
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        files = ["content/a.bin", "content/b/c.bin"]
        write_files(src, dict(zip(files, (900_000, 123_457))), 14)
        data = make_torrent(os.path.join(src, "content"), 32768)
        ti = lt.torrent_info(lt.bdecode(data))
        uri = magnet(ti, name=None)

        # 1. libtorrent seeds, we find it by LSD alone.
        ses = lt_session(**LT_LSD)
        h = ses.add_torrent({"ti": ti, "save_path": src})
        check(wait(lambda: h.status().state == lt.torrent_status.seeding, 20), "libtorrent seeds")
        s = btx.session(enable_lsd=True, local_service_announce_interval=1)
        dest = tempfile.mkdtemp(dir=tmp)
        t = btx.btx_add_magnet(s, uri.encode(), dest.encode())
        check(wait(lambda: btx.status(t).get(2) == "5", 60), f"our magnet without peers completes from LSD (state {btx.status(t).get(2)})")
        check(same_tree(src, dest, files), "every byte matches")
        heard = [a for a in ses.pop_alerts() if a.what() == "lsd_peer"]
        check(bool(heard), f"libtorrent received our LSD announce ({len(heard)} lsd_peer alerts)")
        btx.btx_session_free(s)
        ses.remove_torrent(h)
        del ses

        # 2. We seed, libtorrent finds us by LSD alone.
        s = btx.session(enable_lsd=True, local_service_announce_interval=1)
        t = btx.btx_add_torrent_file(s, data, len(data), src.encode())
        check(wait(lambda: btx.status(t).get(2) == "5", 30), "our seeder checks its data")
        ses = lt_session(**LT_LSD)
        dest = tempfile.mkdtemp(dir=tmp)
        p = lt.parse_magnet_uri(uri); p.save_path = dest
        h = ses.add_torrent(p)
        check(wait(lambda: h.status().state == lt.torrent_status.seeding, 60), f"libtorrent's magnet completes from us via LSD (state {h.status().state})")
        check(same_tree(src, dest, files), "every byte matches")
        btx.btx_session_free(s)
        del ses
    return T.finish()

if __name__ == "__main__":
    sys.exit(main() if "--inside" in sys.argv else in_namespace())
