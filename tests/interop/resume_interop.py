#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: resume data with the real libtorrent 2.0, and crash consistency.

1. libtorrent's blob (with the info dict) resumes here without a check: seeding at once, no
   checking_files; a blob over a cut-short file is rejected (fastresumeRejected) and rechecked.
2. Our blob loads in libtorrent's read_resume_data and libtorrent resumes it seeding without
   checking the files.
3. Crash: a child process downloads from a (rate-limited) libtorrent seeder, saving resume data
   every 200 ms; it is killed with SIGKILL halfway, restarted from its last blob, must take the
   fast-resume path (no fastresumeRejected), and finishes with a byte-exact copy. The blob lists
   pieces in progress ('unfinished'), and the restart fetches only what the blob does not say is
   on disk: fewer bytes than the missing pieces whole (measured at libtorrent's upload counter).
Loopback only; every wait is bounded. Prints "resume: N passed, N failed".
"""
import os, sys, tempfile, time, subprocess, signal, shutil
import libtorrent as lt
from btxpy import Btx, Tally, wait, lt_session, make_torrent, write_files, same_tree

LIB = sys.argv[1]
btx = Btx(LIB)
T = Tally("resume")
check = T.check

A_STATE_CHANGED, A_RESUME_READY, A_RESUME_FAILED, A_FASTRESUME_REJECTED = 6, 9, 10, 20
LT_ALERTS = {"alert_mask": lt.alert.category_t.status_notification | lt.alert.category_t.storage_notification
                           | lt.alert.category_t.error_notification}

def write_content(root, sizes, seed):
    write_files(os.path.join(root, "content"), sizes, seed)

def same_content(a, b, sizes):
    return same_tree(os.path.join(a, "content"), os.path.join(b, "content"), sizes)

def lt_blob(data, save_path):
    """libtorrent checks the content and saves resume data with the info dict."""
    ses = lt_session(**LT_ALERTS)
    h = ses.add_torrent({"ti": lt.torrent_info(lt.bdecode(data)), "save_path": save_path})
    wait(lambda: h.status().state == lt.torrent_status.seeding, 30)
    h.save_resume_data(lt.save_resume_flags_t.save_info_dict)
    blob = None
    deadline = time.time() + 10
    while blob is None and time.time() < deadline:
        for a in ses.pop_alerts():
            if isinstance(a, lt.save_resume_data_alert): blob = lt.write_resume_data_buf(a.params)
        time.sleep(0.05)
    return blob

def states_seen(alerts, t):
    return [int(f[65]) for code, f in alerts if code == A_STATE_CHANGED and int(f[60]) == t]

def libtorrent_blob_resumes_here(tmp):
    sizes = {"a.bin": 700_000, "d/b.bin": 300_001, "d/c.txt": 17}
    for label, v1 in (("v1", True), ("hybrid", False)):
        root = tempfile.mkdtemp(dir=tmp)
        write_content(root, sizes, 5)
        data = make_torrent(os.path.join(root, "content"), 32768, v1_only=v1)
        blob = lt_blob(data, root)
        check(blob is not None, f"{label}: libtorrent wrote a resume blob")
        s = btx.session()
        t = btx.btx_add_with_resume(s, blob, len(blob), root.encode())
        check(t > 0, f"{label}: libtorrent's blob is accepted ({btx.last_error()})")
        alerts = []
        ok = wait(lambda: (alerts.extend(btx.alerts(s)) or True) and btx.status(t).get(2) == "5", 10)
        seen = states_seen(alerts, t)
        check(ok, f"{label}: it resumes seeding (state {btx.status(t).get(2)})")
        check(1 not in seen and not any(c == A_FASTRESUME_REJECTED for c, _ in alerts),
              f"{label}: without checking the files (states {seen})")
        btx.btx_session_free(s)
        # A file cut short behind the blob's back: rejected, then a full check finds what is left.
        with open(os.path.join(root, "content", "a.bin"), "r+b") as f: f.truncate(100_000)
        s = btx.session()
        t = btx.btx_add_with_resume(s, blob, len(blob), root.encode())
        alerts = []
        wait(lambda: (alerts.extend(btx.alerts(s)) or True) and btx.status(t).get(2) in ("3", "4", "5")
             and any(c == A_FASTRESUME_REJECTED for c, _ in alerts), 10)
        rej = [f for c, f in alerts if c == A_FASTRESUME_REJECTED]
        check(len(rej) == 1 and rej[0].get(63) == "mismatching file size" and "a.bin" in rej[0].get(61, ""),
              f"{label}: a cut-short file gives fastresumeRejected ({rej[0].get(61) if rej else None})")
        check(btx.status(t).get(2) == "3" and 1 in states_seen(alerts, t),
              f"{label}: and a full check, downloading what is missing (state {btx.status(t).get(2)})")
        btx.btx_session_free(s)

def our_blob_resumes_in_libtorrent(tmp):
    sizes = {"x.bin": 1_000_000, "y/z.bin": 123_457}
    for label, v1 in (("v1", True), ("hybrid", False)):
        root = tempfile.mkdtemp(dir=tmp)
        write_content(root, sizes, 9)
        data = make_torrent(os.path.join(root, "content"), 65536, v1_only=v1)
        s = btx.session()
        t = btx.btx_add_torrent_file(s, data, len(data), root.encode())
        check(wait(lambda: btx.status(t).get(2) == "5", 20), f"{label}: we check the content into seeding")
        btx.btx_save_resume(t)
        blob = None
        deadline = time.time() + 10
        while blob is None and time.time() < deadline:
            for code, f in btx.alerts(s):
                if code == A_RESUME_READY: blob = f[69]
            time.sleep(0.05)
        btx.btx_session_free(s)
        check(blob is not None, f"{label}: we wrote a resume blob ({len(blob or b'')} bytes)")
        if blob is None: continue
        ses = lt_session(**LT_ALERTS)
        atp = lt.read_resume_data(blob)
        check(atp.ti is not None and atp.ti.num_pieces() == lt.torrent_info(lt.bdecode(data)).num_pieces(),
              f"{label}: libtorrent's read_resume_data takes our blob with its info dict")
        atp.save_path = root
        h = ses.add_torrent(atp)
        seen, rejected = [], []
        def progress():
            for a in ses.pop_alerts():
                if isinstance(a, lt.state_changed_alert): seen.append(a.state)
                if isinstance(a, lt.fastresume_rejected_alert): rejected.append(a.message())
            return h.status().state == lt.torrent_status.seeding
        ok = wait(progress, 15)
        check(ok, f"{label}: libtorrent resumes our blob seeding (state {h.status().state})")
        check(lt.torrent_status.checking_files not in seen and not rejected,
              f"{label}: without a full recheck (states {seen}, rejected {rejected})")
        del ses

CHILD_SIZES = {"big.bin": 6 << 20, "s/small.bin": 123_457}

def child(torrent_path, dest, blob_path):
    """Downloads, writing the latest resume blob to blob_path (atomically) every 200 ms."""
    s = btx.session()
    data = open(torrent_path, "rb").read()
    if os.path.exists(blob_path):
        blob = open(blob_path, "rb").read()
        t = btx.btx_add_with_resume(s, blob, len(blob), dest.encode())
    else:
        t = btx.btx_add_torrent_file(s, data, len(data), dest.encode())
    btx.btx_set_torrent_flags(t, b"0", b"48")  # resumed, not auto-managed
    print("port", btx.btx_listen_port(s), flush=True)
    last = 0
    deadline = time.time() + 120
    while time.time() < deadline:
        for code, f in btx.alerts(s):
            if code == A_RESUME_READY:
                with open(blob_path + ".tmp", "wb") as out: out.write(f[69])
                os.replace(blob_path + ".tmp", blob_path)
            if code == A_FASTRESUME_REJECTED: print("rejected", f.get(61, ""), flush=True)
            if code == A_STATE_CHANGED: print("state", int(f[65]), flush=True)
        st = btx.status(t)
        print("done", st.get(6), st.get(2), flush=True)
        if st.get(2) == "5": print("seeding", flush=True); break
        if time.time() - last > 0.2:
            btx.btx_save_resume(t); last = time.time()
        time.sleep(0.05)
    btx.btx_session_free(s)

def crash_and_resume(tmp):
    src = tempfile.mkdtemp(dir=tmp)
    write_content(src, CHILD_SIZES, 21)
    data = make_torrent(os.path.join(src, "content"), 65536, v1_only=False)
    tpath = os.path.join(tmp, "crash.torrent")
    open(tpath, "wb").write(data)
    dest, blob_path = tempfile.mkdtemp(dir=tmp), os.path.join(tmp, "crash.resume")
    ses = lt_session(**LT_ALERTS)
    h = ses.add_torrent({"ti": lt.torrent_info(lt.bdecode(data)), "save_path": src})
    wait(lambda: h.status().state == lt.torrent_status.seeding, 30)
    h.set_upload_limit(1_500_000)  # per torrent: libtorrent exempts loopback from session limits
    total = sum(CHILD_SIZES.values())

    def run(kill_at):
        p = subprocess.Popen([sys.executable, __file__, LIB, "child", tpath, dest, blob_path],
                             stdout=subprocess.PIPE, text=True)
        port, lines, done = int(p.stdout.readline().split()[1]), [], 0
        h.connect_peer(("127.0.0.1", port))
        deadline = time.time() + 90
        for line in p.stdout:
            lines.append(line.strip())
            if line.startswith("done") and line.split()[1] != "None": done = int(line.split()[1])
            # Kill once the latest blob lists pieces in progress, and restart from that very blob
            # (the child may save again before it dies; any blob it saved is valid to restart from).
            if kill_at and done >= kill_at and os.path.exists(blob_path):
                kept = blob_path + ".kept"
                shutil.copyfile(blob_path, kept)
                if lt.bdecode(open(kept, "rb").read()).get(b"unfinished"):
                    os.kill(p.pid, signal.SIGKILL)
                    p.wait(20)
                    os.replace(kept, blob_path)
                    break
            if line.startswith("seeding") or time.time() > deadline: break
            if time.time() - deadline > -80 and done == 0 and len(lines) % 40 == 0: h.connect_peer(("127.0.0.1", port))
        try: p.wait(20)
        except subprocess.TimeoutExpired: p.kill(); p.wait()
        return p.returncode, lines, done

    rc, _, done = run(kill_at=total // 2)
    check(rc == -signal.SIGKILL and total // 2 <= done < total, f"crash: the child was killed mid-download ({done} of {total} bytes)")
    check(os.path.exists(blob_path), "crash: a resume blob was saved before the kill")
    blob = lt.bdecode(open(blob_path, "rb").read())
    ti = lt.torrent_info(lt.bdecode(data))
    have = sum(ti.piece_size(i) for i, b in enumerate(blob[b"pieces"]) if b & 1)
    on_disk = 0
    for u in blob.get(b"unfinished", []):
        size = ti.piece_size(u[b"piece"])
        for k in range((size + 16383) // 16384):
            if u[b"bitmask"][k >> 3] & (0x80 >> (k & 7)): on_disk += min(16384, size - k * 16384)
    check(on_disk > 0, f"crash: the blob lists written blocks of pieces in progress ({len(blob.get(b'unfinished', []))} pieces)")
    time.sleep(1)
    sent_before = h.status().total_payload_upload
    rc, lines, _ = run(kill_at=0)
    check(not any(l.startswith("rejected") for l in lines), "crash: the restart trusts the blob (no fastresumeRejected)")
    check(not any(l == "state 1" for l in lines), "crash: no full recheck of the data after the restart")
    check(any(l == "seeding" for l in lines), f"crash: the restarted download finishes ({lines[-1] if lines else ''})")
    check(same_content(src, dest, CHILD_SIZES), "crash: the copy is byte-exact")
    time.sleep(1)
    sent = h.status().total_payload_upload - sent_before
    # Everything the blob does not claim comes again (including what arrived after the last save);
    # a few blocks of slack for requests in flight.
    want = ti.total_size() - have - on_disk
    check(sent < ti.total_size() - have and sent <= want + 8 * 16384,
          f"crash: the restart fetched {sent} bytes: what was missing less the {on_disk} bytes of unfinished pieces ({want}), not the missing pieces whole ({ti.total_size() - have})")
    del ses

if len(sys.argv) > 2 and sys.argv[2] == "child":
    child(*sys.argv[3:6])
    sys.exit(0)

with tempfile.TemporaryDirectory() as tmp:
    libtorrent_blob_resumes_here(tmp)
    our_blob_resumes_in_libtorrent(tmp)
    crash_and_resume(tmp)

sys.exit(T.finish())
