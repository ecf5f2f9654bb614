#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: our DHT inside a DHT of libtorrent 2.0 nodes, all on 127.0.0.1 (restrictions off).

1. 24 libtorrent sessions form a DHT; our session bootstraps from dht_bootstrap_nodes (dhtBootstrap
   alert, btx_dht_state counters).
2. A libtorrent seeder announces a torrent; we add a magnet with only the info-hash (no x.pe) and
   download it through peers found by get_peers. Every byte is compared.
3. libtorrent finds us: btx_dht_announce of a random info-hash, and the torrent we downloaded
   (announced by the session itself), both seen in libtorrent's get_peers replies.
4. BEP 44 both ways: immutable put/get, mutable with salt, and seq updates seen by the other side.
5. State: btx_dht_save_state holds our routing table; libtorrent's own saved state loads.
Prints "dht: N passed, N failed". Every wait is bounded.
"""
import ctypes, os, sys, time, random, tempfile, hashlib
import libtorrent as lt
from btxpy import Btx, Tally, AlertLog, wait, lt_session, make_torrent, magnet, write_files, same_tree

btx = Btx(sys.argv[1])
NODES = int(os.environ.get("DHT_LT_NODES", "24"))
T = Tally("dht")
check = T.check

LT_DHT = {
    "enable_dht": True, "dht_bootstrap_nodes": "", "dht_restrict_routing_ips": False, "dht_restrict_search_ips": False,
    "dht_ignore_dark_internet": False, "dht_block_ratelimit": 100000, "dht_upload_rate_limit": 10000000,
    "dht_enforce_node_id": False,
    "alert_mask": lt.alert.category_t.dht_notification | lt.alert.category_t.dht_operation_notification
                  | lt.alert.category_t.status_notification | lt.alert.category_t.error_notification,
}

def lt_alerts(ses, kind, pred, seconds):
    """Waits for an alert of a type that satisfies pred; returns it or None."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        ses.wait_for_alert(200)
        for a in ses.pop_alerts():
            if isinstance(a, kind) and pred(a): return a
    return None

# ---- 1. the libtorrent DHT and our bootstrap -----------------------------------------------------
nodes = [lt_session(**LT_DHT) for _ in range(NODES)]
ports = [n.listen_port() for n in nodes]
rnd = random.Random(3)
for i, n in enumerate(nodes):
    for j in {0, 1, rnd.randrange(NODES), rnd.randrange(NODES)} - {i}:
        n.add_dht_node(("127.0.0.1", ports[j]))
time.sleep(3)
for i, n in enumerate(nodes):  # a second round so late joiners are known to early ones
    n.add_dht_node(("127.0.0.1", ports[(i + 7) % NODES]))
time.sleep(3)

s = btx.session(enable_dht=True, dht_restrict_routing_ips=False, dht_restrict_search_ips=False, dht_block_ratelimit=100000,
                dht_upload_rate_limit=10000000, dht_bootstrap_nodes=f"127.0.0.1:{ports[0]},127.0.0.1:{ports[1]}")
check(s > 0, "session_new")
check(wait(lambda: btx.btx_listen_port(s) > 0, 10), "we listen on 127.0.0.1")
our_port = btx.btx_listen_port(s)

alerts = AlertLog(btx, s)  # our alerts, drained continuously
our_alert = alerts.take

check(our_alert(12, lambda f: True, 30) is not None, "dhtBootstrap alert")
def dht_nodes():
    alerts.drain(); alerts.drain()
    return int(btx.dht_state(s).get(100, "0"))
n_nodes = wait(dht_nodes, 20, 0.5)
check(n_nodes >= 8, f"btx_dht_state: {n_nodes} routing-table nodes after bootstrap")

# ---- 2. download by info-hash only -------------------------------------------------------------
work = tempfile.mkdtemp(prefix="btx-dht-")
content = os.path.join(work, "seed", "payload")
os.makedirs(content)
write_files(content, {"a.bin": 700_000, "b.bin": 123_457}, 9)
ti = lt.torrent_info(lt.bdecode(make_torrent(content, 32768)))
seeder = nodes[5]
seeder.add_torrent({"ti": ti, "save_path": os.path.dirname(content)})
ih = str(ti.info_hashes().v1)
# The seeder announces the torrent to the DHT by itself (the binding cannot pass dht_announce flags).
lt_alerts(seeder, lt.dht_reply_alert, lambda a: True, 20)

dest = os.path.join(work, "ours")
os.makedirs(dest)
t = btx.btx_add_magnet(s, magnet(ti, name=None).encode(), dest.encode())
check(t > 0, f"magnet with only the info-hash added ({btx.last_error() if t <= 0 else 'ok'})")
def progress():
    return btx.status(t).get(2) in ("4", "5")  # finished or seeding
start = time.time()
ok = wait(progress, 90, 0.25)
took = time.time() - start
same = ok and same_tree(content, os.path.join(dest, "payload"), ["a.bin", "b.bin"])
check(same, f"downloaded by info-hash through DHT peers in {took:.1f} s, content identical")

# ---- 3. libtorrent finds us ------------------------------------------------------------------------
def lt_finds(ses, hexhash, port, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        ses.dht_get_peers(lt.sha1_hash(bytes.fromhex(hexhash)))
        a = lt_alerts(ses, lt.dht_get_peers_reply_alert, lambda a: str(a.info_hash) == hexhash, 10)
        if a and ("127.0.0.1", port) in [(p[0], p[1]) for p in a.peers()]: return True
    return False
rand_ih = os.urandom(20).hex()
check(btx.btx_dht_announce(s, rand_ih.encode(), 41234) == 0, "btx_dht_announce returns 0")
time.sleep(1)
check(lt_finds(nodes[17], rand_ih, 41234), "libtorrent's get_peers finds our btx_dht_announce")
check(lt_finds(nodes[11], ih, our_port), "libtorrent's get_peers finds the torrent our session announced itself")

# ---- 4. BEP 44 ------------------------------------------------------------------------------------
def item_value(a):
    """The binding gives items as a dict {'value': ..., 'seq': ...} (bytes values)."""
    v = a.item.get("value") if isinstance(a.item, dict) else a.item
    return v.encode() if isinstance(v, str) else v
def item_seq(a):
    return a.item.get("seq") if isinstance(a.item, dict) else a.seq

# 4a. we put immutable, libtorrent gets.
tbuf = ctypes.create_string_buffer(41)
val = b"hello from btx"
n = btx.btx_dht_put_immutable(s, val, len(val), tbuf, 41)
target = tbuf.raw[:40].decode()
check(n == 40 and target == hashlib.sha1(b"%d:" % len(val) + val).hexdigest(), "put_immutable returns the target")
put = our_alert(24, lambda f: f.get(104) == target, 30)
check(put is not None and int(put.get(111, "0")) > 0, f"dhtPut (immutable): num_success {put and put.get(111)}")
nodes[20].dht_get_immutable_item(lt.sha1_hash(bytes.fromhex(target)))
a = lt_alerts(nodes[20], lt.dht_immutable_item_alert, lambda a: str(a.target) == target, 30)
check(a is not None and item_value(a) == val, f"libtorrent gets our immutable item ({a and item_value(a)!r})")

# 4b. libtorrent puts immutable, we get.
lt_val = "hello from libtorrent"
lt_target = str(nodes[3].dht_put_immutable_item(lt_val))
lt_alerts(nodes[3], lt.dht_put_alert, lambda a: True, 30)
check(btx.btx_dht_get_immutable(s, lt_target.encode()) == 0, "get_immutable returns 0")
got = our_alert(22, lambda f: f.get(104) == lt_target, 30)
check(got is not None and got.get(105) == lt_val.encode(), f"we get libtorrent's immutable item ({got and got.get(105)!r})")
missing = os.urandom(20).hex()
btx.btx_dht_get_immutable(s, missing.encode())
got = our_alert(22, lambda f: f.get(104) == missing, 40)
check(got is not None and got.get(105) == b"0:", "a missing immutable item reports value 0:")

# 4c. mutable with salt: we put, libtorrent gets; libtorrent updates, we see the higher seq; and back.
keys = btx.dht_keypair(os.urandom(32).hex())
pk, sk = keys[106], keys[112]
salt = b"feed"
def our_put_mutable(data):
    rc = btx.btx_dht_put_mutable(s, pk.encode(), sk.encode(), salt, data, len(data))
    return rc, our_alert(24, lambda f: f.get(106) == pk, 40)
def lt_get_mutable(ses):
    ses.dht_get_mutable_item(bytes.fromhex(pk), salt)
    return lt_alerts(ses, lt.dht_mutable_item_alert, lambda a: a.authoritative and bytes(a.key).hex() == pk, 40)
def our_get_mutable():
    btx.btx_dht_get_mutable(s, pk.encode(), salt)
    return our_alert(23, lambda f: f.get(106) == pk and f.get(110) == "1", 40)

rc, put = our_put_mutable(b"v1")
check(rc == 0 and put is not None and put.get(108) == "1" and int(put.get(111, "0")) > 0,
      f"we put a mutable item with salt: seq {put and put.get(108)}, num_success {put and put.get(111)}")
a = lt_get_mutable(nodes[8])
check(a is not None and item_seq(a) == 1 and item_value(a) == b"v1" and a.item.get("salt") == salt,
      f"libtorrent gets it: seq {a and item_seq(a)}, value {a and item_value(a)!r}")
nodes[9].dht_put_mutable_item(bytes.fromhex(sk), bytes.fromhex(pk), b"v2", salt)
a = lt_alerts(nodes[9], lt.dht_put_alert, lambda a: True, 40)
check(a is not None and a.seq == 2, f"libtorrent updates it to seq {a and a.seq}")
got = our_get_mutable()
check(got is not None and got.get(108) == "2" and got.get(105) == b"v2" and got.get(109) == "feed",
      f"we see libtorrent's update: seq {got and got.get(108)}, value {got and got.get(105)!r}")
rc, put = our_put_mutable(b"v3")
check(put is not None and put.get(108) == "3", f"our next put continues at seq {put and put.get(108)}")
a = lt_get_mutable(nodes[14])
check(a is not None and item_seq(a) == 3 and item_value(a) == b"v3", f"libtorrent sees seq {a and item_seq(a)}")

# ---- 5. state --------------------------------------------------------------------------------------
blob = btx.fetch(btx.lib.btx_dht_save_state, s)
state = lt.bdecode(blob)
st = state.get(b"dht state") or state.get("dht state") or {}
nodes_saved = st.get(b"nodes") or st.get("nodes") or []
check(len(nodes_saved) >= 8, f"btx_dht_save_state holds {len(nodes_saved)} nodes ({len(blob)} bytes)")
check(btx.btx_dht_load_state(s, blob, len(blob)) == 0, "our own state loads")
full = nodes[2].save_state()  # libtorrent's own saved state: "dht", "dht state", "settings"
lt_state = lt.bencode(full)
lt_nodes = (full.get(b"dht state") or {}).get(b"nodes") or []
check(len(lt_nodes) > 0 and btx.btx_dht_load_state(s, lt_state, len(lt_state)) == 0,
      f"libtorrent's own saved state ({len(lt_state)} bytes, {len(lt_nodes)} nodes) loads")

btx.btx_session_free(s)
sys.exit(T.finish())
