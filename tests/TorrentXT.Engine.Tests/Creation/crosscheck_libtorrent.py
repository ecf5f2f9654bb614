#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Cross-checks TorrentCreator against libtorrent 2.0.8 (python3-libtorrent) on cases the vectors
do not cover: directory scans (readdir order, hidden files, symbolic links, executable bits, empty
files), every flag combination, modification times, automatic piece size boundaries, tracker text
and the error texts. Not part of the xunit run (that must not need libtorrent).

Usage: /usr/bin/python3 crosscheck_libtorrent.py <path to the TorrentXT.Bench dll or executable>
Exits 1 when any case differs. Needs: apt-get install python3-libtorrent.
"""
import os
import shutil
import subprocess
import sys
import tempfile

import libtorrent as lt

BENCH = sys.argv[1] if len(sys.argv) > 1 else None
KIB = 1024


def libtorrent_create(path, piece, flags, trackers):
    """What btx_create_torrent does with libtorrent (contract section 8), minus 'creation date'."""
    fs = lt.file_storage()
    lt.add_files(fs, path)
    if fs.num_files() == 0:
        return "no files at content path"
    try:
        ct = lt.create_torrent(fs, piece, flags)
    except RuntimeError as e:
        return "libtorrent exception: %s" % e
    if trackers:
        tier = 0
        for line in trackers.split("\n"):
            url = line.strip(" \t\r")
            if not url:
                continue
            ct.add_tracker(url, tier)
            tier += 1
    parent = os.path.dirname(path) or "."
    try:
        lt.set_piece_hashes(ct, parent)
    except RuntimeError as e:
        return "hashing failed: %s" % e
    try:
        e = ct.generate()
    except RuntimeError as ex:
        return "libtorrent exception: %s" % ex
    e.pop(b"creation date", None)
    e.pop("creation date", None)
    return lt.bencode(e)


def ours_create(path, piece, flags, trackers, work):
    out = os.path.join(work, "ours.torrent")
    cmd = ["dotnet", BENCH] if BENCH.endswith(".dll") else [BENCH]
    cmd += ["create", path, str(piece), str(flags), out]
    if trackers is not None:
        tf = os.path.join(work, "trackers.txt")
        with open(tf, "w", encoding="utf-8", newline="") as f:
            f.write(trackers)
        cmd.append(tf)
    r = subprocess.run(cmd, capture_output=True, timeout=120)
    if r.returncode == 0:
        with open(out, "rb") as f:
            return f.read()
    return r.stdout.decode("utf-8", "replace").strip() or r.stderr.decode("utf-8", "replace").strip()


def write(path, size, mode=None, mtime=1700000000, fill=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        if fill is None:
            # deterministic, not compressible-looking, cheap
            block = bytes((i * 131 + size) & 0xFF for i in range(4096))
            left = size
            while left > 0:
                f.write(block[: min(left, len(block))])
                left -= len(block)
        else:
            f.truncate(size)   # sparse zeros: quick for big sizes
    if mode is not None:
        os.chmod(path, mode)
    os.utime(path, (mtime, mtime))


def build_tree(root):
    write(os.path.join(root, "a.txt"), 5)
    write(os.path.join(root, "sub", "big"), 20000, mode=0o755, mtime=1700000100)
    write(os.path.join(root, ".hid", ".h"), 3)
    write(os.path.join(root, "empty1"), 0)
    write(os.path.join(root, "sub", "empty2"), 0)
    write(os.path.join(root, "a b.txt"), 16384)
    write(os.path.join(root, "a-b.txt"), 32768 + 1)
    write(os.path.join(root, "a", "x.bin"), 70000)
    write(os.path.join(root, "Z.txt"), 400)
    write(os.path.join(root, "é.txt"), 2)
    write(os.path.join(root, "日本", "データ.bin"), 50000)
    os.symlink("../a.txt", os.path.join(root, "sub", "link"))
    os.symlink("/nonexistent/x", os.path.join(root, "broken"))
    os.symlink("sub", os.path.join(root, "dirlink"))


def first_difference(want, got):
    """A short description of where two results first differ."""
    if not isinstance(want, bytes) or not isinstance(got, bytes):
        return "libtorrent %s, ours %s" % (short(want), short(got))
    return walk(lt.bdecode(want), lt.bdecode(got), "")


def walk(a, b, where):
    if type(a) is not type(b):
        return "%s: libtorrent %s, ours %s" % (where, short(a), short(b))
    if isinstance(a, dict):
        if list(a.keys()) != list(b.keys()):
            return "%s keys: libtorrent %s, ours %s" % (where, short(list(a.keys())), short(list(b.keys())))
        for k in a:
            if a[k] != b[k]:
                return walk(a[k], b[k], "%s/%s" % (where, k))
    if isinstance(a, list):
        if len(a) != len(b):
            return "%s length: libtorrent %d %s, ours %d %s" % (where, len(a), short(a), len(b), short(b))
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return walk(x, y, "%s[%d]" % (where, i))
    return "%s: libtorrent %s, ours %s" % (where, short(a), short(b))


def short(v):
    r = repr(v)
    return r if len(r) < 300 else r[:300] + "..."


def main():
    if not BENCH:
        print(__doc__)
        return 2
    base = tempfile.mkdtemp(prefix="txt-crosscheck-")
    work = os.path.join(base, "work")
    os.makedirs(work)
    cases = []
    try:
        tree = os.path.join(base, "tree")
        build_tree(tree)
        for flags in (0, 4, 8, 32, 36, 64, 68, 64 | 128, 64 | 512, 64 | 128 | 512, 128, 512, 512 | 4, 1 | 2 | 16 | 256):
            for piece in (16 * KIB, 32 * KIB, 0):
                cases.append(("tree", tree, piece, flags, None))
        cases.append(("tree-v1-8k", tree, 8 * KIB, 64, None))
        cases.append(("tree-v1-48k", tree, 48 * KIB, 64, None))
        cases.append(("tree-v1-canon-48k", tree, 48 * KIB, 64 | 128, None))

        one = os.path.join(base, "onefile")
        write(os.path.join(one, "only.bin"), 40000)
        for flags in (0, 32, 64, 512):
            cases.append(("dir-with-one-file", one, 16 * KIB, flags, None))

        for size in (1, 16383, 16384, 16385, 32768, 32769, 100000, 262144 + 5):
            f = os.path.join(base, "single-%d.bin" % size)
            write(f, size, mode=0o700 if size == 16385 else 0o644)
            for flags in (0, 4, 32, 36, 64, 68):
                cases.append(("single %d" % size, f, 16 * KIB, flags, None))
        link = os.path.join(base, "single-link")
        os.symlink(os.path.join(base, "single-100000.bin"), link)
        for flags in (0, 4, 64):
            cases.append(("single symlink", link, 16 * KIB, flags, None))

        # automatic piece size around the first thresholds (sparse files)
        for size in (2684355, 2684356, 10737418, 10737419, 42949673, 42949674):
            f = os.path.join(base, "auto-%d.bin" % size)
            write(f, size, fill=0)
            for flags in (0, 64):
                cases.append(("auto %d" % size, f, 0, flags, None))
        # ... and the total of a directory counts all files
        multi_auto = os.path.join(base, "multiauto")
        write(os.path.join(multi_auto, "a"), 1342178, fill=0)
        write(os.path.join(multi_auto, "b"), 1342178, fill=0)
        cases.append(("auto multi", multi_auto, 0, 0, None))

        # larger content: runs of pieces cross the 4 MiB read size; pieces bigger than one read
        big = os.path.join(base, "big")
        write(os.path.join(big, "one.bin"), 9 * 1024 * 1024 + 12345)
        write(os.path.join(big, "two.bin"), 20 * 1024 * 1024 + 1)
        for i in range(300):
            write(os.path.join(big, "many", "f%03d" % i), (i * 7919) % 50000)
        for flags in (0, 64, 32, 64 | 128):
            for piece in (16 * KIB, 1024 * KIB, 8 * 1024 * KIB, 0):
                cases.append(("big", big, piece, flags, None))
        huge_piece = os.path.join(base, "big", "two.bin")
        for flags in (0, 64):
            cases.append(("single 20 MiB, 16 MiB pieces", huge_piece, 16 * 1024 * KIB, flags, None))

        small = os.path.join(base, "single-100000.bin")
        for text in (" udp://t1/ann \n\n\t\nhttp://t2/ann\r\n", "udp://a/x\nudp://a/x\nhttp://c/x", "http://only/one",
                     "", "\n \n", "a\nb\na\nc\nb\nd"):
            cases.append(("trackers %r" % text, small, 16 * KIB, 0, text))

        # errors
        empty_dir = os.path.join(base, "emptydir")
        os.makedirs(os.path.join(empty_dir, "sub"))
        cases.append(("empty dir", empty_dir, 0, 0, None))
        all_empty = os.path.join(base, "allempty")
        write(os.path.join(all_empty, "e1"), 0)
        write(os.path.join(all_empty, "e2"), 0)
        for flags in (0, 96, 64):
            cases.append(("all files empty", all_empty, 12345, flags, None))
        cases.append(("missing path", os.path.join(base, "nope"), 0, 0, None))
        for piece, flags in ((12345, 0), (24576, 64), (12345, 64), (-5, 64), (-5, 0), (3, 0), (49152, 0), (0, 96),
                             (12345, 96), (2147483647, 64), (1 << 30, 64), (1, 64), (0, -1)):
            cases.append(("piece %d flags %d" % (piece, flags), small, piece, flags, None))

        failed = 0
        for name, path, piece, flags, trackers in cases:
            want = libtorrent_create(path, piece, flags if flags >= 0 else flags & 0xFFFFFFFF, trackers)
            got = ours_create(path, piece, flags, trackers, work)
            ok = want == got
            if not ok:
                failed += 1
                print("DIFF %s piece=%d flags=%d: %s" % (name, piece, flags, first_difference(want, got)))
        print("%d passed, %d failed" % (len(cases) - failed, failed))
        return 1 if failed else 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
