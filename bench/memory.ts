// npm run bench:memory — next-server's memory on a production build of the embedded defaults, started
// as `npm start` starts it (lib/config/heap.mjs: the heap policy in NODE_OPTIONS, through dev/stack.ts):
//   1. RSS at start, and after a mixed load of every page kind (signed out and as alice)
//   2. RSS after a flood of random, unknown slugs (/docs/<random>, /sections/<random>, signed out and
//      signed in), the peak sampled each second during it, and the answers it got
// Bounded in count and time, loopback only. A missed target is printed as MISSED and sets the exit code.
// A rate limit on unknown slugs answers the flood 429 early and so measures less: the answers are
// printed, and the run says so when most of the flood was refused.
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { HEAP_NODE_OPTIONS } from '../lib/config/heap.mjs'
import { signInOverHttp } from './support/http-session.ts'
import { startBenchStack } from './support/stack.ts'

const LOAD_SECONDS = Number(process.env.BENCH_MEMORY_LOAD_SECONDS ?? 9)
const FLOOD_SECONDS = Number(process.env.BENCH_FLOOD_SECONDS ?? 60)
const FLOOD_REQUESTS = Number(process.env.BENCH_FLOOD_REQUESTS ?? 20_000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4)
const TARGET_RSS_MIB = 400
const PORTS = { app: 3780, idp: 4780, lake: 4781 }

function rssMiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
  } catch {
    return 0 // gone meanwhile
  }
}
/** Every process under `root` (dev/stack.ts runs the lake and the IdP itself; what it starts is next-server). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const pid of readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), pid])
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = []
  const walk = (pid: number) => (children.get(pid) ?? []).forEach((child) => (found.push(child), walk(child)))
  walk(root)
  return found
}

const stack = await startBenchStack('memory', PORTS, { SANITY_WEBHOOK_SECRET_CONTENT: 'bench-content-webhook-secret' })
/** next-server and anything it started: the app's whole footprint, without the stand-ins. */
const appRss = () => descendants(stack.pid!).reduce((sum, pid) => sum + rssMiB(pid), 0)
const get = async (path: string, cookie: string) => {
  const response = await fetch(new URL(path, stack.appUrl), { headers: cookie ? { cookie } : {}, redirect: 'manual' })
  await response.arrayBuffer()
  return response.status
}

try {
  const alice = await signInOverHttp(stack.appUrl, 'alice')
  const atStart = appRss()

  // --- 1. mixed load --------------------------------------------------------------------------------
  const pages: [string, string][] = [
    ['/sign-in', ''],
    ['/docs/getting-started', ''],
    ['/docs/partner-onboarding', alice],
    ['/docs/admin-guide', alice],
    ['/docs/partner-onboarding', ''],
    ['/', alice],
  ]
  let views = 0
  const loadUntil = performance.now() + LOAD_SECONDS * 1000
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      for (let i = worker; performance.now() < loadUntil; i += CONCURRENCY) {
        const [path, cookie] = pages[i % pages.length]!
        await get(path, cookie)
        views++
      }
    }),
  )
  const afterLoad = appRss()

  // --- 2. random-slug flood -------------------------------------------------------------------------
  const statuses = new Map<number, number>()
  let sent = 0
  let peak = afterLoad
  const sampler = setInterval(() => (peak = Math.max(peak, appRss())), 1000)
  const floodStarted = performance.now()
  const floodUntil = floodStarted + FLOOD_SECONDS * 1000
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      while (sent < FLOOD_REQUESTS && performance.now() < floodUntil) {
        const n = sent++
        const slug = `flood-${randomBytes(8).toString('hex')}`
        const path = n % 4 === 3 ? `/sections/${slug}` : `/docs/${slug}`
        const status = await get(path, (n + worker) % 2 === 0 ? alice : '').catch(() => 0)
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
      }
    }),
  )
  clearInterval(sampler)
  const floodSeconds = (performance.now() - floodStarted) / 1000
  await sleep(1000) // what stays, not a request's garbage in flight
  const afterFlood = appRss()
  peak = Math.max(peak, afterFlood)

  const answers = [...statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status === 0 ? 'no answer' : status}: ${count}`)
    .join(', ')
  const refused = statuses.get(429) ?? 0
  const ok = afterFlood <= TARGET_RSS_MIB
  console.log(`\n### next-server memory (production build, NODE_OPTIONS as \`npm start\` sets it: ${HEAP_NODE_OPTIONS})\n`)
  console.log('| target | measured | |')
  console.log('|---|---|---|')
  console.log(
    `| next-server RSS after a random-slug flood ≤ ${TARGET_RSS_MIB} MB | ${afterFlood.toFixed(0)} MB after ${sent} unknown slugs in ${floodSeconds.toFixed(0)} s (${answers}); peak ${peak.toFixed(0)} MB; ${afterLoad.toFixed(0)} MB after ${views} mixed views before it, ${atStart.toFixed(0)} MB at start | ${ok ? 'met' : 'MISSED'} |`,
  )
  if (refused > sent / 2) {
    console.log(
      `\nMost of the flood (${refused} of ${sent}) was refused with 429: raise the unknown-slug rate limit for this stack to measure the app's own growth.`,
    )
  }
  process.exitCode = ok ? 0 : 1
} finally {
  stack.stop()
}
process.exit()
