#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Torrent creation and hash-check speed: TorrentXT against libtorrent 2.0.8 and sha1sum, same run.

Runs alternate (ours, then theirs) so both see the same machine state; medians are reported with
the ratio ours/theirs. Driven by bench/run-creation.sh.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

try:
    import libtorrent as lt
except ImportError:  # reported, and the libtorrent columns are skipped
    lt = None


def ours_create(bench, path, mode, out=None):
    cmd = [bench, "create-speed", path, mode, "1"] + ([out] if out else [])
    line = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=600).stdout.split()
    return float(line[2])


def libtorrent_create(path, mode):
    flags = {"v1": lt.create_torrent.v1_only, "hybrid": 0}[mode]
    t = time.perf_counter()
    fs = lt.file_storage()
    lt.add_files(fs, path)
    ct = lt.create_torrent(fs, 0, flags)
    lt.set_piece_hashes(ct, os.path.dirname(path))
    ct.generate()
    return time.perf_counter() - t


def ours_check(bench, torrent, save):
    line = subprocess.run([bench, "check-speed", torrent, save, "1"], check=True, capture_output=True, text=True,
                          timeout=600).stdout.split()
    passed, total = line[3].split("/")
    if passed != total:
        raise RuntimeError("check failed: %s" % line)
    return float(line[1])


def sha1sum(path):
    t = time.perf_counter()
    subprocess.run(["sha1sum", path], check=True, capture_output=True, timeout=600)
    return time.perf_counter() - t


def report(label, size, ours, theirs, their_name):
    o = statistics.median(ours)
    line = "%-22s ours %6.0f MB/s" % (label, size / o / 1e6)
    if theirs:
        t = statistics.median(theirs)
        line += "   %s %6.0f MB/s   ratio %.2fx" % (their_name, size / t / 1e6, t / o)
    print(line + "   (medians of %d; ours %s s)" % (len(ours), " ".join("%.3f" % x for x in ours)), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    path = os.path.abspath(a.file)
    size = os.path.getsize(path)
    if lt is None:
        print("python3-libtorrent is missing (apt-get install python3-libtorrent): libtorrent columns skipped")
    print("%d MiB file, %d cores, %s" % (size >> 20, os.cpu_count(), "libtorrent " + lt.__version__ if lt else ""))
    subprocess.run(["cat", path], check=True, stdout=subprocess.DEVNULL)  # warm the page cache

    with tempfile.TemporaryDirectory(prefix="txt-bench-") as tmp:
        torrents = {}
        for mode in ("v1", "hybrid"):
            ours, theirs = [], []
            for _ in range(a.runs):
                torrents[mode] = os.path.join(tmp, mode + ".torrent")
                ours.append(ours_create(a.bench, path, mode, torrents[mode]))
                if lt:
                    theirs.append(libtorrent_create(path, mode))
            report("create " + mode, size, ours, theirs, "libtorrent")
        for mode in ("v1", "hybrid"):
            ours, theirs = [], []
            for _ in range(a.runs):
                ours.append(ours_check(a.bench, torrents[mode], os.path.dirname(path)))
                theirs.append(sha1sum(path))
            report("check " + mode, size, ours, theirs, "sha1sum")
    return 0


if __name__ == "__main__":
    sys.exit(main())
