#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: our DHT among 16 npm bittorrent-dht nodes on 127.0.0.1.

Installs bittorrent-dht into tests/interop/npm-dht/node_modules with npm (once), starts the nodes
(nodes.mjs), bootstraps our session from them (btx_dht_add_bootstrap), then: they find our
announce, and ours lands beside theirs;
BEP 44 immutable items both ways; a mutable item with salt put by them (seq 1) is read by us, our
put continues at seq 2 and they read it. Prints "dht-npm: N passed, N failed"; every wait is bounded.
"""
import json, os, subprocess, sys, time, hashlib, ctypes
from btxpy import Btx, Tally, AlertLog, wait

HERE = os.path.dirname(os.path.abspath(__file__))
NPM_DIR = os.path.join(HERE, "npm-dht")
btx = Btx(sys.argv[1])
T = Tally("dht-npm")
check = T.check

if not os.path.isdir(os.path.join(NPM_DIR, "node_modules", "bittorrent-dht")):
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=NPM_DIR, check=True, timeout=180)

proc = subprocess.Popen(["node", "nodes.mjs", "16"], cwd=NPM_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
def ask(op, timeout=30, **kw):
    proc.stdin.write(json.dumps(dict(op=op, **kw)) + "\n"); proc.stdin.flush()
    # Each command answers with one line; a bounded wait keeps a stuck node from hanging the run.
    import select
    r, _, _ = select.select([proc.stdout], [], [], timeout)
    return json.loads(proc.stdout.readline()) if r else {"err": "timeout"}
ports = json.loads(proc.stdout.readline())["ports"]
for i in range(len(ports)): ask("populate", i=i)

s = btx.session(enable_dht=True, dht_restrict_routing_ips=False, dht_restrict_search_ips=False, dht_block_ratelimit=100000,
                dht_upload_rate_limit=10000000, dht_bootstrap_nodes="")
check(wait(lambda: btx.btx_listen_port(s) > 0, 10), "we listen on 127.0.0.1")
our_port = btx.btx_listen_port(s)
# Bootstrap through btx_dht_add_bootstrap this time.
check(all(btx.btx_dht_add_bootstrap(s, b"127.0.0.1", p) == 0 for p in ports[:3]), "btx_dht_add_bootstrap")

alerts = AlertLog(btx, s)
our_alert = alerts.take
def dht_nodes():
    alerts.drain(); alerts.drain()
    return int(btx.dht_state(s).get(100, "0"))
n = wait(lambda: dht_nodes() >= 8 and dht_nodes(), 30, 0.5)
check(n and n >= 8, f"bootstrapped from bittorrent-dht nodes: {n} in our table")
for i in range(len(ports)): ask("addNode", i=i, port=our_port)  # and they know us

# Peers both ways.
ih = os.urandom(20).hex()
check(btx.btx_dht_announce(s, ih.encode(), 42001) == 0, "btx_dht_announce")
time.sleep(1.5)
r = ask("lookup", i=9, ih=ih)
check("127.0.0.1:42001" in r.get("peers", []), f"bittorrent-dht finds our announce ({r})")
ih2 = os.urandom(20).hex()
r = ask("announce", i=4, ih=ih2, port=42002)
check(r.get("err") is None, "bittorrent-dht announces")
# Our announce of the same info-hash (get_peers, then announce_peer with the tokens bittorrent-dht
# handed out) lands on the same closest nodes: a bittorrent-dht lookup sees both announcers.
# (Finding peers and downloading through them is covered against libtorrent in dht_libtorrent.py.)
btx.btx_dht_announce(s, ih2.encode(), 42003)
time.sleep(1.5)
r = ask("lookup", i=12, ih=ih2)
check({"127.0.0.1:42002", "127.0.0.1:42003"} <= set(r.get("peers", [])), f"both announces stored on the shared nodes ({r})")

# Immutable both ways.
val = b"immutable from btx"
tbuf = ctypes.create_string_buffer(41)
btx.btx_dht_put_immutable(s, val, len(val), tbuf, 41)
target = tbuf.raw[:40].decode()
put = our_alert(24, lambda f: f.get(104) == target, 30)
check(put is not None and int(put.get(111, "0")) > 0, f"our immutable put: num_success {put and put.get(111)}")
r = ask("get", i=11, target=target)
check(r.get("v") == val.hex(), f"bittorrent-dht gets our immutable item ({r.get('v')})")
nv = b"immutable from npm"
r = ask("putImmutable", i=6, v=nv.hex())
check(r.get("target") == hashlib.sha1(b"%d:" % len(nv) + nv).hexdigest() and (r.get("n") or 0) > 0, f"bittorrent-dht puts ({r})")
btx.btx_dht_get_immutable(s, r["target"].encode())
got = our_alert(22, lambda f: f.get(104) == r["target"], 30)
check(got is not None and got.get(105) == nv, f"we get bittorrent-dht's immutable item ({got and got.get(105)!r})")

# Mutable with salt both ways.
seed = os.urandom(32).hex()
keys = btx.dht_keypair(seed)
pk, sk = keys[106], keys[112]
salt = b"npm"
r = ask("putMutable", i=2, seed=seed, pk=pk, salt=salt.hex(), v=b"m1".hex(), seq=1)
check(r.get("err") is None and (r.get("n") or 0) > 0, f"bittorrent-dht puts a mutable item with salt ({r})")
btx.btx_dht_get_mutable(s, pk.encode(), salt)
got = our_alert(23, lambda f: f.get(106) == pk and f.get(110) == "1", 40)
check(got is not None and got.get(105) == b"m1" and got.get(108) == "1", f"we get it: {got and (got.get(105), got.get(108))}")
btx.btx_dht_put_mutable(s, pk.encode(), sk.encode(), salt, b"m2", 2)
put = our_alert(24, lambda f: f.get(106) == pk, 40)
check(put is not None and put.get(108) == "2" and int(put.get(111, "0")) > 0, f"our update: seq {put and put.get(108)}, num_success {put and put.get(111)}")
target = hashlib.sha1(bytes.fromhex(pk) + salt).hexdigest()
r = ask("get", i=13, target=target, salt=salt.hex())
check(r.get("v") == b"m2".hex() and r.get("seq") == 2, f"bittorrent-dht sees our seq 2 ({r})")

btx.btx_session_free(s)
proc.stdin.write('{"op": "quit"}\n'); proc.stdin.flush()
try: proc.wait(timeout=5)
except subprocess.TimeoutExpired: proc.kill()
sys.exit(T.finish())
