// SPDX-License-Identifier: MIT
// The npm bittorrent-tracker server (HTTP and UDP, no WebSocket) on 127.0.0.1, for trackers_interop.py.
// Usage: node npm_tracker.mjs <node_modules dir> <http port> <udp port>
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const [modules, httpPort, udpPort] = process.argv.slice(2)
const { default: Server } = await import(pathToFileURL(path.join(modules, 'bittorrent-tracker', 'server.js')).href)
const server = new Server({ udp: true, http: true, ws: false, stats: false, trustProxy: false })
server.on('error', e => { console.error('tracker error:', e.message); process.exit(1) })
server.on('warning', e => console.error('tracker warning:', e.message))
server.listen({ http: Number(httpPort), udp: Number(udpPort) }, { http: '127.0.0.1', udp: '127.0.0.1', udp6: '::1' },
  () => console.log('ready', httpPort, udpPort))
