#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""We speak TCP only; libtorrent, with its defaults, dials uTP first. Our UDP port (the DHT's, on
the listen port) answers a uTP SYN with a uTP RESET, so libtorrent falls back to TCP at once
instead of after its 3 s uTP connect timeout. Checked on 127.0.0.1 with libtorrent 2.0.8:

  1. our seeder with the DHT on (no bootstrap nodes: no traffic leaves loopback): libtorrent's
     uTP attempt ends in "connection reset", its TCP dial follows, every byte arrives;
  2. the same with our DHT off (no UDP socket): the uTP attempt times out, as the README says.

  /usr/bin/python3 tests/interop/utp_fallback.py dist/linux-x64/libtorrentxt.so
"""
import os, sys, tempfile, time
import libtorrent as lt
from btxpy import Btx, Tally, wait, lt_session, make_torrent, write_file, same_tree

btx = Btx(sys.argv[1] if len(sys.argv) > 1 else "dist/linux-x64/libtorrentxt.so")
T = Tally("utp")
LOG = lt.alert.category_t.connect_notification | lt.alert.category_t.peer_log_notification | lt.alert.category_t.peer_notification

def leech_from(port, ti, dest, limit):
    """A libtorrent leecher with uTP on (its default) dials us; returns (uTP outcome, seconds to done)."""
    ses = lt_session(enable_outgoing_utp=True, enable_incoming_utp=True, alert_mask=LOG)
    h = ses.add_torrent({"ti": ti, "save_path": dest})
    wait(lambda: h.status().state not in (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data), 10)
    h.connect_peer(("127.0.0.1", port))
    start, outcome = time.monotonic(), None
    while time.monotonic() - start < limit and h.status().state != lt.torrent_status.seeding:
        for a in ses.pop_alerts():
            m = a.message()
            if outcome is None and "disconnecting (uTP) [connect]" in m:
                outcome = "reset" if "reset" in m.lower() else "timed out" if "timed out" in m.lower() else m
        time.sleep(0.01)
    done = h.status().state == lt.torrent_status.seeding
    return outcome, (time.monotonic() - start) if done else None

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    write_file(os.path.join(src, "content", "payload.bin"), 3 * 1024 * 1024 + 777, seed=29)
    tdata = make_torrent(os.path.join(src, "content"))
    ti = lt.torrent_info(lt.bdecode(tdata))

    for dht in (True, False):
        label = "DHT on" if dht else "DHT off"
        s = btx.session(enable_dht=True, dht_bootstrap_nodes="") if dht else btx.session()
        t = btx.lib.btx_add_torrent_file(s, tdata, len(tdata), src.encode())
        T.check(wait(lambda: btx.status(t).get(2) == "5", 30), f"{label}: our seeder checked its data")
        dest = os.path.join(tmp, "dl-" + label.replace(" ", ""))
        os.makedirs(dest)
        outcome, took = leech_from(btx.lib.btx_listen_port(s), ti, dest, limit=30)
        if dht:
            T.check(outcome == "reset", f"{label}: libtorrent's uTP dial is refused at once ({outcome})")
        else:
            T.check(outcome == "timed out", f"{label}: without a UDP socket libtorrent's uTP dial times out ({outcome})")
        T.check(took is not None, f"{label}: libtorrent then downloads over TCP ({took and round(took, 2)} s)")
        T.check(same_tree(os.path.join(src, "content"), os.path.join(dest, "content")), f"{label}: every byte matches")
        btx.lib.btx_session_free(s)

sys.exit(T.finish())
