// SPDX-License-Identifier: MIT
// N bittorrent-dht nodes on 127.0.0.1, driven by JSON lines on stdin (one reply line each on stdout).
// Used by tests/interop/dht_npm.py. Ed25519 comes from node:crypto (no native add-on needed).
import DHT from 'bittorrent-dht'
import crypto from 'node:crypto'
import readline from 'node:readline'

const count = Number(process.argv[2] || 12)
const b64 = (buf) => Buffer.from(buf).toString('base64url')
const verify = (sig, msg, pk) => {
  try {
    const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64(pk) }, format: 'jwk' })
    return crypto.verify(null, msg, key, sig)
  } catch { return false }
}

const nodes = []
for (let i = 0; i < count; i++) {
  const d = new DHT({ bootstrap: false, verify })
  d.on('error', () => {})
  d.on('warning', () => {})
  await new Promise((resolve) => d.listen(0, '127.0.0.1', resolve))
  nodes.push(d)
}
for (let i = 0; i < count; i++) {
  for (const j of [0, 1, (i + 3) % count, (i + 7) % count]) {
    if (j !== i) nodes[i].addNode({ host: '127.0.0.1', port: nodes[j].address().port })
  }
}
const reply = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
reply({ ports: nodes.map((d) => d.address().port) })

const hex = (b) => (b ? Buffer.from(b).toString('hex') : null)
const ops = {
  addNode: (d, c, done) => { d.addNode({ host: '127.0.0.1', port: c.port }); done({ ok: true }) },
  populate: (d, c, done) => d._bootstrap(true) || setTimeout(() => done({ nodes: d.nodes.toArray().length }), 1500),
  nodeCount: (d, c, done) => done({ nodes: d.nodes.toArray().length }),
  announce: (d, c, done) => d.announce(c.ih, c.port, (err) => done({ err: err ? String(err) : null })),
  lookup: (d, c, done) => {
    const peers = new Set()
    const onPeer = (peer, ih) => { if (hex(ih) === c.ih) peers.add(`${peer.host}:${peer.port}`) }
    d.on('peer', onPeer)
    d.lookup(c.ih, () => { d.removeListener('peer', onPeer); done({ peers: [...peers] }) })
  },
  putImmutable: (d, c, done) => d.put({ v: Buffer.from(c.v, 'hex') }, (err, hash, n) => done({ err: err ? String(err) : null, target: hex(hash), n })),
  get: (d, c, done) => d.get(c.target, { salt: c.salt ? Buffer.from(c.salt, 'hex') : undefined, cache: false }, (err, res) =>
    done({ err: err ? String(err) : null, v: res ? hex(res.v) : null, seq: res ? res.seq : null, k: res ? hex(res.k) : null })),
  putMutable: (d, c, done) => {
    const priv = crypto.createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64(Buffer.from(c.seed, 'hex')), x: b64(Buffer.from(c.pk, 'hex')) }, format: 'jwk' })
    const opts = { k: Buffer.from(c.pk, 'hex'), seq: c.seq, v: Buffer.from(c.v, 'hex'), sign: (buf) => crypto.sign(null, buf, priv) }
    if (c.salt) opts.salt = Buffer.from(c.salt, 'hex')
    d.put(opts, (err, hash, n) => done({ err: err ? String(err) : null, target: hex(hash), n }))
  },
}

const rl = readline.createInterface({ input: process.stdin })
rl.on('line', (line) => {
  const c = JSON.parse(line)
  if (c.op === 'quit') { for (const d of nodes) d.destroy(); rl.close(); setTimeout(() => process.exit(0), 200); return }
  try { ops[c.op](nodes[c.i || 0], c, reply) } catch (e) { reply({ err: String(e) }) }
})
