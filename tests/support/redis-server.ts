// Starts a real Redis server (Debian's redis-server; `npm test`'s provisioning step, dev/provision.mjs,
// installs it) on a free port for the shared-store contract tests. A missing binary is a test failure
// with what to do, never a skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer, Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { requireRedisServer } from '../../dev/provision.mjs'

export type RedisServer = { url: string; port: number; stop(): Promise<void> }

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export function redisServerBinary(): string {
  const binary = requireRedisServer()
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0)
    throw new Error(`${binary} --version failed: not a working Redis server (${probe.error?.message ?? probe.stderr.trim()}).`)
  return binary
}

export async function startRedisServer(): Promise<RedisServer> {
  const binary = redisServerBinary()
  const port = await freePort()
  const child: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  const url = `redis://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = new Socket()
      socket.once('connect', () => (socket.destroy(), resolve(true)))
      socket.once('error', () => resolve(false))
      socket.connect(port, '127.0.0.1')
    })
    if (up) return { url, port, stop: async () => void child.kill('SIGTERM') }
    await sleep(50)
  }
  child.kill('SIGKILL')
  throw new Error(`redis-server did not start on port ${port}`)
}
