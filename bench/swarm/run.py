#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Swarm throughput benchmark on 127.0.0.1, ours against libtorrent 2.0.8 in the same run.

  /usr/bin/python3 bench/swarm/run.py dist/linux-x64/libtorrentxt.so [MiB=1024] [runs=3]

Per run, alternately and after the same pause (see ../../shared/perf-anchors.md on memory reuse):
  A. libtorrent seeder -> libtorrent leecher      B. libtorrent seeder -> our leecher
  C. our seeder -> libtorrent leecher
Each peer is its own process (bench/swarm/peer.py), so CPU seconds and peak RSS are per engine.
Reports medians: MB/s, leecher CPU seconds per GiB, leecher peak RSS, and the ratios. Every copy
is compared with the source (cmp) after each run.
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time, filecmp
import libtorrent as lt

LIB = os.path.abspath(sys.argv[1])
MIB = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 3
PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer.py")
PY = "/usr/bin/python3"

def seeder(args):
    p = subprocess.Popen([PY, PEER] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().split()
    if len(line) != 2 or line[0] != "port": raise SystemExit("seeder failed: %r" % line)
    return p, int(line[1])

def leech(args, timeout=600):
    out = subprocess.run([PY, PEER] + args, capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0: raise SystemExit("leecher failed: " + out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])

def stop(p):
    """Ends a seeder; returns its serving CPU seconds and peak RSS (see peer.py)."""
    p.stdin.close()
    out = json.loads(p.stdout.read().strip().splitlines()[-1])
    p.wait(timeout=30)
    return out

def verify(src, dest):
    if not filecmp.cmp(src, dest, shallow=False): raise SystemExit("copy differs: " + dest)

with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
    src_dir = os.path.join(tmp, "src")
    os.makedirs(os.path.join(src_dir, "content"))
    src = os.path.join(src_dir, "content", "payload.bin")
    with open(src, "wb") as f:
        for _ in range(MIB): f.write(os.urandom(1 << 20))
    fs = lt.file_storage()
    lt.add_files(fs, os.path.join(src_dir, "content"))
    ct = lt.create_torrent(fs, 1 << 20, flags=lt.create_torrent.v1_only)
    lt.set_piece_hashes(ct, src_dir)
    tfile = os.path.join(tmp, "bench.torrent")
    with open(tfile, "wb") as f: f.write(lt.bencode(ct.generate()))
    ti = lt.torrent_info(tfile)
    size = ti.total_size()
    cases = os.environ.get("CASES", "ABC")  # e.g. CASES=AC to measure seeding only
    results = {c: [] for c in cases}
    for run in range(RUNS):
        for case in cases:
            dest = tempfile.mkdtemp(dir=tmp)
            time.sleep(3)
            if case == "C":
                p, port = seeder(["btx-seed", LIB, tfile, src_dir])
            else:
                p, port = seeder(["lt-seed", tfile, src_dir])
            if case == "B":
                uri = "magnet:?xt=urn:btih:%s&dn=content&x.pe=127.0.0.1:%d" % (ti.info_hashes().v1, port)
                r = leech(["btx-leech", LIB, uri, dest, str(size)])
            else:
                r = leech(["lt-leech", tfile, dest, str(port)])
            served = stop(p)
            r["seed_cpu"], r["seed_rss_kib"] = served["cpu"], served["rss_kib"]
            verify(src, os.path.join(dest, "content", "payload.bin"))
            shutil.rmtree(dest)
            r["mbps"] = r["bytes"] / r["seconds"] / 1e6
            results[case].append(r)
            print(f"run {run + 1} {case}: {r['mbps']:.0f} MB/s, leecher CPU {r['cpu']:.2f} s, peak RSS {r['rss_kib'] / 1024:.0f} MiB;"
                  f" seeder CPU {r['seed_cpu']:.2f} s, peak RSS {r['seed_rss_kib'] / 1024:.0f} MiB", flush=True)

    def med(case, key): return statistics.median(r[key] for r in results[case])
    gib = size / (1 << 30)
    names = {"A": "libtorrent -> libtorrent", "B": "libtorrent -> ours", "C": "ours -> libtorrent"}
    print(f"\n{MIB} MiB, medians of {RUNS}:")
    for c in cases:
        print(f"  {names[c]:26s} {med(c, 'mbps'):7.0f} MB/s   leecher CPU {med(c, 'cpu') / gib:5.2f} s/GiB   leecher peak RSS {med(c, 'rss_kib') / 1024:6.0f} MiB"
              f"   seeder CPU {med(c, 'seed_cpu') / gib:5.2f} s/GiB   seeder peak RSS {med(c, 'seed_rss_kib') / 1024:6.0f} MiB")
    if "A" in cases and "B" in cases:
        print(f"  our leecher / libtorrent's: throughput {med('B', 'mbps') / med('A', 'mbps'):.2f}x, CPU per GiB {med('B', 'cpu') / med('A', 'cpu'):.2f}x")
    if "A" in cases and "C" in cases:
        print(f"  our seeder / libtorrent's (libtorrent leeching): throughput {med('C', 'mbps') / med('A', 'mbps'):.2f}x,"
              f" seeder CPU per GiB {med('C', 'seed_cpu') / med('A', 'seed_cpu'):.2f}x")
