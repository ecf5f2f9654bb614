#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: our tracker client against real trackers and real clients, all on 127.0.0.1.

1. opentracker (HTTP and UDP) and the npm bittorrent-tracker server (HTTP and UDP): a libtorrent
   seeder announces a torrent; our session, given only a magnet with the tracker URL, finds it
   through the tracker and downloads every byte; the tracker shows as verified; btx_scrape_tracker
   gives scrapeReply and status counts equal to an independent scrape; removing our torrent sends
   'stopped' (the tracker's count drops).
2. A scripted misbehaving HTTP tracker (timeout, garbage, huge body, HTML, redirect loop, failure
   reason): each gives a trackerError with a clear message while the torrent completes from a peer.
3. We seed a .torrent whose only peer source is opentracker; aria2c and transmission-cli learn our
   address from it and download every byte.
Prints "trackers: N passed, N failed". Every wait and every child process is bounded.
"""
import os, socket, struct, subprocess, sys, tempfile, threading, time, urllib.parse, urllib.request
import http.server
import libtorrent as lt
from btxpy import (Btx, Tally, AlertLog, wait, free_port, listening, stop_process, lt_session, make_torrent, magnet,
                   write_files, same_tree)

LIB, NPM_MODULES = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
btx = Btx(LIB)
T = Tally("trackers")
check = T.check
A_TRACKER_REPLY, A_TRACKER_ERROR, A_SCRAPE_REPLY = 7, 8, 21
children = []
ONLY = os.environ.get("TRACKERS_ONLY", "")  # run only the scenarios whose label contains this

def spawn(args, **kw):
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, **kw)
    children.append(p)
    return p

def write_content(root):
    files = {"content/a.bin": 1_500_000, "content/sub/b.bin": 600_001, "content/c.txt": 7}
    write_files(root, files, 5)
    return sorted(files)

# libtorrent caches UDP tracker connection ids process-wide by tracker IP, without the port, so
# opentracker's id would be reused for the npm tracker on the same 127.0.0.1: keep them 1 s.
LT_TRACKERS = {"udp_tracker_token_expiry": 1, "announce_to_all_trackers": True,
               "alert_mask": lt.alert.category_t.tracker_notification | lt.alert.category_t.error_notification}

def lt_wait_tracker_reply(ses, seconds):
    """True once libtorrent's announce is answered; else the tracker errors it saw."""
    deadline, errors = time.time() + seconds, []
    while time.time() < deadline:
        ses.wait_for_alert(200)
        for a in ses.pop_alerts():
            if isinstance(a, lt.tracker_reply_alert): return True
            if isinstance(a, lt.tracker_error_alert): errors.append(a.message())
    return errors

# ---- independent scrapes ---------------------------------------------------------------------------

def scrape_http(announce_url, ih):
    url = announce_url.replace("/announce", "/scrape") + "?info_hash=" + urllib.parse.quote_from_bytes(ih)
    body = lt.bdecode(urllib.request.urlopen(url, timeout=5).read())
    # bittorrent-tracker keys the entry by the hash's Latin-1 reading written as UTF-8.
    entry = body[b"files"].get(ih) or body[b"files"].get(ih.decode("latin-1").encode("utf-8"), {})
    return entry.get(b"complete", 0), entry.get(b"incomplete", 0)

def scrape_udp(announce_url, ih):
    host, port = announce_url[len("udp://"):].split("/")[0].rsplit(":", 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(3)
        s.sendto(struct.pack(">QII", 0x41727101980, 0, 7), (host, int(port)))
        _, _, cid = struct.unpack(">IIQ", s.recv(64))
        s.sendto(struct.pack(">QII", cid, 2, 8) + ih, (host, int(port)))
        action, _, seeders, _, leechers = struct.unpack(">IIIII", s.recv(64)[:20])
        return seeders, leechers

def scrape(url, ih):
    return scrape_udp(url, ih) if url.startswith("udp://") else scrape_http(url, ih)

# ---- the scenarios ---------------------------------------------------------------------------------

def find_alert(log, kind, t, seconds, pred=lambda rec: True):
    return log.take(kind, lambda rec: rec.get(60) == str(t) and pred(rec), seconds)

def download_via_tracker(label, url, data, src, files, tmp):
    ti = lt.torrent_info(lt.bdecode(data))
    ih = bytes.fromhex(str(ti.info_hashes().v1))
    ses = lt_session(**LT_TRACKERS)
    h = ses.add_torrent({"ti": ti, "save_path": src, "trackers": [url]})
    check(wait(lambda: h.status().state == lt.torrent_status.seeding, 30), f"{label}: libtorrent seeds")
    replied = lt_wait_tracker_reply(ses, 20)
    check(replied is True, f"{label}: libtorrent's announce was answered ({replied})")
    s = btx.session(tracker_completion_timeout=10)
    dest = tempfile.mkdtemp(dir=tmp)
    uri = magnet(ti, name=None) + "&tr=" + urllib.parse.quote(url, safe="")
    t = btx.btx_add_magnet(s, uri.encode(), dest.encode())
    check(t > 0, f"{label}: magnet added ({btx.last_error()})")
    log = AlertLog(btx, s)
    start = time.time()
    done = wait(lambda: btx.status(t).get(2) == "5", 60)
    st = btx.status(t)
    check(done, f"{label}: we download through the tracker alone (state {st.get(2)}, peers {st.get(8)}, {time.time() - start:.1f} s)")
    check(same_tree(src, dest, files), f"{label}: every byte matches")
    reply = find_alert(log, A_TRACKER_REPLY, t, 5)
    check(reply is not None and reply.get(67) == url, f"{label}: trackerReply with the url ({reply})")
    tr = btx.trackers(t)
    check(len(tr) == 1 and tr[0].get(130) == url and tr[0].get(132) == "1" and tr[0].get(133) == "4",
          f"{label}: tracker listed as verified, source magnet ({tr})")
    # 'completed' reaches the tracker, then our scrape must agree with an independent one.
    wait(lambda: scrape(url, ih)[0] >= 2, 10)
    theirs = scrape(url, ih)
    check(btx.btx_scrape_tracker(t) == 0, f"{label}: btx_scrape_tracker")
    rep = find_alert(log, A_SCRAPE_REPLY, t, 10)
    check(rep is not None and "scrape reply" in rep.get(61, ""), f"{label}: scrapeReply ({rep})")
    st = btx.status(t)
    ours = (int(st.get(18, "-1")), int(st.get(19, "-1")))
    check(ours == theirs and theirs[0] >= 2, f"{label}: numComplete/numIncomplete {ours} match the tracker's scrape {theirs}")
    errors = [x for x in log.drain() if x[0] == A_TRACKER_ERROR]
    check(not errors, f"{label}: no trackerError ({errors[:2]})")
    btx.btx_remove(s, t, 0)
    check(wait(lambda: scrape(url, ih)[0] == theirs[0] - 1, 10), f"{label}: 'stopped' on removal (seeds {theirs[0]} -> {scrape(url, ih)[0]})")
    btx.btx_session_free(s)
    ses.remove_torrent(h)
    del ses

class BadTracker(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def answer(self, body, ctype="text/plain", status=200, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra: self.send_header(k, v)
        self.end_headers()
        try: self.wfile.write(body)
        except OSError: pass
    def do_GET(self):
        kind = self.path.split("/")[1]
        if kind == "timeout": time.sleep(8); return self.answer(b"d8:intervali60ee")
        if kind == "garbage": return self.answer(bytes(range(256)) * 4, "application/octet-stream")
        if kind == "huge": return self.answer(b"d5:peers" + b"9999999:" + b"x" * (4 << 20), "text/plain")
        if kind == "html": return self.answer(b"<html><body>502 Bad Gateway</body></html>", "text/html")
        if kind == "loop": return self.answer(b"", status=302, extra=[("Location", self.path)])
        if kind == "fail": return self.answer(b"d14:failure reason22:torrent not registerede")
        self.answer(b"", status=404)

EXPECTED = {"timeout": "timed out", "garbage": "not bencoded", "huge": "larger than", "html": "content type text/html",
            "loop": "too many redirects", "fail": "tracker sent a failure message: torrent not registered"}

def misbehaving(data, src, files, tmp):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), BadTracker)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    ti = lt.torrent_info(lt.bdecode(data))
    ses = lt_session(**LT_TRACKERS)
    h = ses.add_torrent({"ti": ti, "save_path": src})
    check(wait(lambda: h.status().state == lt.torrent_status.seeding, 30), "bad trackers: libtorrent seeds")
    s = btx.session(tracker_completion_timeout=3, tracker_receive_timeout=2, announce_to_all_tiers=True,
                    announce_to_all_trackers=True, tracker_maximum_response_length=1 << 20)
    dest = tempfile.mkdtemp(dir=tmp)
    uri = magnet(ti, ses.listen_port(), name=None)
    for kind in EXPECTED: uri += "&tr=" + urllib.parse.quote(f"{base}/{kind}/announce", safe="")
    t = btx.btx_add_magnet(s, uri.encode(), dest.encode())
    log = AlertLog(btx, s)
    for kind, text in EXPECTED.items():
        url = f"{base}/{kind}/announce"
        rec = find_alert(log, A_TRACKER_ERROR, t, 15, lambda r: r.get(67) == url)
        check(rec is not None and text in rec.get(63, "") and int(rec.get(62, "0")) != 0,
              f"bad trackers: {kind} -> trackerError code {rec and rec.get(62)}: {rec and rec.get(63)!r}")
    check(wait(lambda: btx.status(t).get(2) == "5", 60), "bad trackers: the torrent still completes from its peer")
    check(same_tree(src, dest, files), "bad trackers: every byte matches")
    check(all(x.get(132) == "0" for x in btx.trackers(t)), "bad trackers: none is verified")
    btx.btx_session_free(s)
    ses.remove_torrent(h)
    server.shutdown()

def leechers_from_us(lib):
    """aria2c and transmission-cli in a network namespace of our own: Transmission ignores peers
    on 127.0.0.0/8 and ::1 (it calls them martian), so that scenario needs a routable address,
    which a fresh namespace gives us on its own loopback device without touching the host."""
    ns = f"btx-trk-{os.getpid()}"
    if subprocess.run(["ip", "netns", "add", ns]).returncode != 0:
        return check(False, "leechers: cannot create a network namespace (needs root and iproute2)")
    try:
        subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"], check=True)
        for addr in ("10.77.0.1/32", "10.77.0.2/32"):
            subprocess.run(["ip", "netns", "exec", ns, "ip", "addr", "add", addr, "dev", "lo"], check=True)
        try:
            r = subprocess.run(["ip", "netns", "exec", ns, sys.executable, os.path.join(HERE, "tracker_leechers.py"), lib, "10.77.0.1", "10.77.0.2"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
            out = r.stdout.decode(errors="replace")
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") + "\nFAIL: leechers: timed out after 300 s"
        for line in out.splitlines():
            if line.startswith("ok: "): check(True, line[4:])
            elif line.startswith("FAIL: "): check(False, line[6:])
            elif line.strip() and not line.startswith("leechers:"): print(line)
    finally:
        subprocess.run(["ip", "netns", "del", ns])

def main():
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        files = write_content(src)
        # One torrent per scenario (the piece size changes the info-hash), so no scenario sees
        # another's peers in a tracker's swarm.
        sizes = [16384 << i for i in range(6)]
        torrents = [make_torrent(os.path.join(src, "content"), piece_size=p) for p in sizes]
        hashes = [str(lt.torrent_info(lt.bdecode(d)).info_hashes().v1) for d in torrents]
        # opentracker: Debian builds it with a whitelist; it chroots into its folder and drops to 'nobody'.
        otdir = os.path.join(tmp, "opentracker"); os.makedirs(otdir); os.chmod(tmp, 0o755); os.chmod(otdir, 0o755)
        with open(os.path.join(otdir, "whitelist"), "w") as f: f.write("\n".join(hashes) + "\n")
        os.chmod(os.path.join(otdir, "whitelist"), 0o644)
        otport = free_port()
        ot = spawn(["opentracker", "-i", "127.0.0.1", "-p", str(otport), "-P", str(otport), "-d", otdir, "-w", "/whitelist"])
        npmport = free_port()
        npm = spawn(["node", os.path.join(HERE, "npm_tracker.mjs"), NPM_MODULES, str(npmport), str(npmport)],
                    env=dict(os.environ, DEBUG=os.environ.get("TRACKERS_DEBUG", "")))
        try:
            check(wait(lambda: listening(otport), 10), f"opentracker listens on 127.0.0.1:{otport}")
            check(wait(lambda: listening(npmport), 10), f"bittorrent-tracker listens on 127.0.0.1:{npmport}")
            for label, url in [("opentracker http", f"http://127.0.0.1:{otport}/announce"),
                               ("opentracker udp", f"udp://127.0.0.1:{otport}/announce"),
                               ("bittorrent-tracker http", f"http://127.0.0.1:{npmport}/announce"),
                               ("bittorrent-tracker udp", f"udp://127.0.0.1:{npmport}")]:
                data = torrents.pop()
                if ONLY in label: download_via_tracker(label, url, data, src, files, tmp)
            if ONLY in "bad trackers": misbehaving(torrents.pop(), src, files, tmp)
            if ONLY in "leechers": leechers_from_us(LIB)
        finally:
            for p in children:
                stop_process(p)
                if os.environ.get("TRACKERS_DEBUG") and not p.stdout.closed: print(p.args[0], "said:", p.stdout.read().decode(errors="replace")[-6000:])
    return T.finish()

if __name__ == "__main__":
    sys.exit(main())
