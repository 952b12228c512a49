// npm run bench:pages — what a reader's page costs, on a production build of the embedded defaults
// with a shared Redis: two app instances on one lake and one IdP, one caching reader content
// (lib/content/cache.ts, the content webhook configured) and one not (the cold path: every view asks
// Sanity). Printed side by side with the targets of issue #13:
//   1. req/s and p50/p99 per page kind, cold and warm, at 0 and 50 ms simulated Sanity latency
//   2. Sanity requests per view (cold, warm, one Chromium home view with its link prefetches)
//   3. the home page at 100 / 1,000 / 10,000 docs (latency, HTML, app ÷ raw GROQ time)
//   4. first-load JS per reader route (framework vs the app's own)
// (next-server's memory: bench/memory.ts.)
// Figures, not assertions: a missed target is printed as MISSED and sets the exit code.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { gzipSync } from 'node:zlib'
import { requireChromium, requireRedisServer } from '../dev/provision.mjs'
import { localDefaults } from '../lib/config/defaults.ts'
import { signInOverHttp } from './support/http-session.ts'
import { scaledSeed } from './support/scaled-seed.ts'
import { percentile, startBenchStack, waitFor, type BenchStack } from './support/stack.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4)
const LATENCIES = [0, 50]
const TARGETS = {
  warmSanityPerView: 0,
  gatedOverPublic: 0.95,
  gatedOverNoData: 0.5,
  latencyPenaltyMs: 10,
  homeBytes: 200 * 1024,
  homeGrowth: 2,
  /** What the app adds to first-load JS on reader pages, above the framework floor (Next + React alone). */
  appFirstLoadKiB: 10,
  chromiumHomeCold: 2,
}
const PORTS = { app: 3740, idp: 4740, lake: 4741, uncached: 3742, redis: 4742 }
const lakeAuth = { authorization: `Bearer ${localDefaults.lakeWriteToken}` }

let missed = 0
const verdict = (ok: boolean) => {
  if (!ok) missed++
  return ok ? 'met' : 'MISSED'
}
const ms = (value: number) => `${value.toFixed(1)} ms`

// --- the stacks -------------------------------------------------------------------------------------

const redis = spawn(requireRedisServer(), ['--port', String(PORTS.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
  stdio: 'ignore',
})
const children: ChildProcess[] = [redis]
process.on('exit', () => children.forEach((child) => child.kill('SIGTERM')))
await sleep(300)

const shared = { REDIS_URL: `redis://127.0.0.1:${PORTS.redis}`, SANITY_WEBHOOK_SECRET_CONTENT: 'bench-content-webhook-secret' }
const stack = await startBenchStack('pages', { app: PORTS.app, idp: PORTS.idp, lake: PORTS.lake }, shared)
// The second instance: same lake, IdP, Redis and session secret, no content webhook — so nothing cached.
const uncachedUrl = `http://localhost:${PORTS.uncached}`
// Started as `npm start` starts it (the heap policy of lib/config/heap.mjs), like the caching one.
const uncached = spawn('node', ['lib/config/heap.mjs', 'next', 'start', '-p', String(PORTS.uncached)], {
  env: { ...process.env, ...stack.env, SANITY_WEBHOOK_SECRET_CONTENT: '', PORT: String(PORTS.uncached) },
  stdio: ['ignore', 'ignore', 'inherit'],
})
children.push(uncached)
await waitFor(`${uncachedUrl}/sign-in`)

async function lake(path: string, init: RequestInit = {}) {
  const response = await fetch(new URL(path, stack.lakeUrl), { ...init, headers: { ...lakeAuth, 'content-type': 'application/json', ...init.headers } })
  if (!response.ok) throw new Error(`lake ${path}: ${response.status}`)
  return response.json() as Promise<{ queries: number; queryMs: number }>
}
const setLatency = (latencyMs: number) => lake('/__lake/latency', { method: 'PUT', body: JSON.stringify({ ms: latencyMs }) })
const lakeStats = () => lake('/__lake/stats')

/**
 * A publish the content webhook reports to the caching instance: a section's description changes, so
 * every page tree (the home page's O(N) part) is read again; a doc's own page stays cached.
 */
async function publishSection(target: BenchStack, sectionId: string) {
  const response = await fetch(new URL('/v2025-02-19/data/mutate/production', target.lakeUrl), {
    method: 'POST',
    headers: { ...lakeAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ mutations: [{ patch: { id: sectionId, set: { description: `Published at ${Date.now()}` } } }] }),
  })
  if (!response.ok) throw new Error(`publish failed: ${response.status}`)
  await sleep(400) // the lake delivers the webhook after answering
}
/** Entries made within this long of a publish are not kept (the handler's clock-skew margin). */
const settle = () => sleep(2_500)

// --- 1. throughput ----------------------------------------------------------------------------------

const alice = await signInOverHttp(stack.appUrl, 'alice')
const home = await (await fetch(stack.appUrl)).text()
const staticFile = /<script src="(\/_next\/static\/chunks\/[^"]+\.js)"/.exec(home)?.[1]
if (!staticFile) throw new Error('no static chunk found on the home page')

type Page = { name: string; path: string; cookie: string; status: number }
const PAGES: Page[] = [
  { name: 'static file', path: staticFile, cookie: '', status: 200 },
  { name: 'no data (/sign-in)', path: '/sign-in', cookie: '', status: 200 },
  { name: 'public doc (anon)', path: '/docs/getting-started', cookie: '', status: 200 },
  { name: 'gated doc (alice, allowed)', path: '/docs/partner-onboarding', cookie: alice, status: 200 },
  { name: '403 (alice)', path: '/docs/admin-guide', cookie: alice, status: 403 },
  { name: '307 (anon, gated)', path: '/docs/partner-onboarding', cookie: '', status: 307 },
  { name: 'home (alice)', path: '/', cookie: alice, status: 200 },
]

async function load(base: string, page: Page) {
  const times: number[] = []
  const deadline = performance.now() + SECONDS * 1000
  const url = new URL(page.path, base)
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now()
        const response = await fetch(url, { headers: page.cookie ? { cookie: page.cookie } : {}, redirect: 'manual' })
        await response.arrayBuffer()
        if (response.status !== page.status) throw new Error(`${page.path} answered ${response.status}, not ${page.status}`)
        times.push(performance.now() - started)
      }
    }),
  )
  return { rps: times.length / SECONDS, p50: percentile(times, 50), p99: percentile(times, 99) }
}

type Run = { rps: number; p50: number; p99: number }
const runs = new Map<string, Run>() // `${page}|${cold|warm}|${latency}`
// Each page's runs back to back, latencies interleaved: a comparison between two latencies is never
// between two moments of the machine minutes apart.
for (const page of PAGES) {
  for (const latency of LATENCIES) {
    await setLatency(latency)
    for (const [mode, base] of [
      ['cold', uncachedUrl],
      ['warm', stack.appUrl],
    ] as const) {
      await load(base, { ...page }) // warm-up (and, for `warm`, the cache)
      runs.set(`${page.name}|${mode}|${latency}`, await load(base, page))
    }
  }
}
await setLatency(0)

// --- 2. Sanity requests per view --------------------------------------------------------------------

async function sanityPerView(base: string, page: Page, views = 5) {
  const before = await lakeStats()
  for (let i = 0; i < views; i++)
    await (await fetch(new URL(page.path, base), { headers: page.cookie ? { cookie: page.cookie } : {}, redirect: 'manual' })).arrayBuffer()
  return ((await lakeStats()).queries - before.queries) / views
}
const perView = new Map<string, { cold: number; warm: number }>()
for (const page of PAGES.slice(1)) perView.set(page.name, { cold: await sanityPerView(uncachedUrl, page), warm: await sanityPerView(stack.appUrl, page) })

/** One home view in Chromium, with whatever the page prefetches, and a pointer resting on a doc link. */
async function chromiumHomeView(base: string, cookie: string) {
  const { chromium } = await import('@playwright/test')
  const browser = await chromium.launch({ executablePath: requireChromium() })
  try {
    const context = await browser.newContext()
    if (cookie) await context.addCookies(cookie.split('; ').map((pair) => ({ name: pair.split('=')[0]!, value: pair.slice(pair.indexOf('=') + 1), url: base })))
    const page = await context.newPage()
    const before = await lakeStats()
    await page.goto(base, { waitUntil: 'networkidle' })
    await sleep(1500) // viewport prefetches run after hydration
    const view = (await lakeStats()).queries - before.queries
    await page.locator('main a[href^="/docs/"]').first().hover()
    await sleep(1000)
    const hovered = (await lakeStats()).queries - before.queries - view
    return { view, hovered }
  } finally {
    await browser.close()
  }
}
// Cold: the instance that caches nothing (every read, prefetches included, asks Sanity).
const chromiumCold = await chromiumHomeView(uncachedUrl, alice)
const chromiumWarm = await chromiumHomeView(stack.appUrl, alice)

stack.stop()
uncached.kill('SIGTERM')

// --- 3. the home page at scale ----------------------------------------------------------------------

await mkdir('.data', { recursive: true })
const scale: { docs: number; bytes: number; cold: number; warm: number; raw: number }[] = []
for (const [index, docs] of [100, 1_000, 10_000].entries()) {
  const seedFile = `.data/bench-pages-${docs}.ndjson`
  await writeFile(seedFile, scaledSeed(docs))
  const ports = { app: 3750 + index * 10, idp: 4750 + index * 10, lake: 4751 + index * 10 }
  const sized = await startBenchStack(`pages-${docs}`, ports, {
    SANITY_WEBHOOK_SECRET_CONTENT: shared.SANITY_WEBHOOK_SECRET_CONTENT,
    LOCAL_LAKE_SEED_FILE: seedFile,
  })
  try {
    const view = async () => {
      const started = performance.now()
      const response = await fetch(sized.appUrl)
      const html = await response.text()
      if (response.status !== 200) throw new Error(`home at ${docs} docs answered ${response.status}`)
      return { time: performance.now() - started, bytes: Buffer.byteLength(html) }
    }
    // Cold: the first view after a publish; the lake's own GROQ time for that view is the raw cost.
    const cold: number[] = []
    const raw: number[] = []
    for (let i = 0; i < 5; i++) {
      await publishSection(sized, 'docSection.scale-0')
      const before = await (await fetch(new URL('/__lake/stats', sized.lakeUrl), { headers: lakeAuth })).json()
      cold.push((await view()).time)
      const after = await (await fetch(new URL('/__lake/stats', sized.lakeUrl), { headers: lakeAuth })).json()
      raw.push(after.queryMs - before.queryMs)
    }
    await settle()
    await view() // fills the entries the last publish expired
    const warm: number[] = []
    let bytes = 0
    for (let i = 0; i < 20; i++) {
      const result = await view()
      warm.push(result.time)
      bytes = result.bytes
    }
    scale.push({ docs, bytes, cold: percentile(cold, 50), warm: percentile(warm, 50), raw: percentile(raw, 50) })
  } finally {
    sized.stop()
  }
}

// --- 4. first-load JS -------------------------------------------------------------------------------

type RouteStats = { route: string; firstLoadChunkPaths: string[] }
const routeStats = JSON.parse(readFileSync('.next/diagnostics/route-bundle-stats.json', 'utf8')) as RouteStats[]
const gzipKiB = (paths: string[]) => paths.reduce((sum, path) => sum + gzipSync(readFileSync(path)).length, 0) / 1024
// The framework alone: the built-in not-found route ships Next and React and none of the app's code.
const framework = gzipKiB(routeStats.find((r) => r.route === '/_not-found')?.firstLoadChunkPaths ?? [])
const readerRoutes = ['/', '/docs/[slug]', '/sections/[slug]', '/sign-in'].map((route) => ({
  route,
  kib: gzipKiB(routeStats.find((r) => r.route === route)?.firstLoadChunkPaths ?? []),
}))

// --- the report -------------------------------------------------------------------------------------

const rows: string[] = []
const table = (header: string[], lines: string[][]) => {
  rows.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines.map((line) => `| ${line.join(' | ')} |`), '')
}

rows.push(`\n### Pages: req/s and latency (${CONCURRENCY} connections, ${SECONDS} s each, production build, Redis)\n`)
table(
  ['page', ...LATENCIES.flatMap((l) => [`cold ${l} ms`, `warm ${l} ms`])],
  PAGES.map((page) => [
    page.name,
    ...LATENCIES.flatMap((l) =>
      (['cold', 'warm'] as const).map((mode) => {
        const run = runs.get(`${page.name}|${mode}|${l}`)!
        return `${run.rps.toFixed(0)} req/s, p50 ${ms(run.p50)}, p99 ${ms(run.p99)}`
      }),
    ),
  ]),
)

const warm0 = (name: string) => runs.get(`${name}|warm|0`)!
const gatedOverPublic = warm0('gated doc (alice, allowed)').rps / warm0('public doc (anon)').rps
const gatedOverNoData = warm0('gated doc (alice, allowed)').rps / warm0('no data (/sign-in)').rps
const penalties = PAGES.slice(1).map((page) => runs.get(`${page.name}|warm|50`)!.p50 - runs.get(`${page.name}|warm|0`)!.p50)
const worstPenalty = Math.max(...penalties)
const warmPerView = Math.max(...[...perView.values()].map((v) => v.warm))
const scale10k = scale.find((s) => s.docs === 10_000)!
const scale100 = scale.find((s) => s.docs === 100)!
const worstFirstLoad = Math.max(...readerRoutes.map((r) => r.kib))

rows.push('### Sanity requests per page view\n')
table(
  ['page', 'cold (uncached instance)', 'warm'],
  [...perView.entries()].map(([name, v]) => [name, v.cold.toFixed(1), v.warm.toFixed(1)]),
)
rows.push(
  `One Chromium home view (alice), with the link prefetches it makes: ${chromiumCold.view} Sanity requests cold (the instance that caches nothing), ${chromiumWarm.view} warm; a pointer resting on a doc link (its prefetch) adds ${chromiumCold.hovered} cold / ${chromiumWarm.hovered} warm.\n`,
)

rows.push('### Home page by size (signed out, caching instance)\n')
table(
  ['docs', 'HTML', 'cold p50 (after a publish)', 'raw GROQ for that view', 'app ÷ raw GROQ', 'warm p50'],
  scale.map((s) => [s.docs.toLocaleString('en'), `${(s.bytes / 1024).toFixed(0)} KB`, ms(s.cold), ms(s.raw), `${(s.cold / s.raw).toFixed(2)}×`, ms(s.warm)]),
)

rows.push('### First-load JS (gzip)\n')
table(
  ['route', 'first-load JS', 'of which the app’s own'],
  [
    ['framework alone (`/_not-found`: Next + React)', `${framework.toFixed(1)} KiB`, '—'],
    ...readerRoutes.map((r) => [r.route, `${r.kib.toFixed(1)} KiB`, `${(r.kib - framework).toFixed(1)} KiB`]),
  ],
)

rows.push('### Targets\n')
table(
  ['target', 'measured', ''],
  [
    ['warm: 0 Sanity requests per page view', `${warmPerView.toFixed(1)}`, verdict(warmPerView <= TARGETS.warmSanityPerView)],
    ['gated-allowed ÷ public req/s ≥ 0.95 (warm, 0 ms)', gatedOverPublic.toFixed(2), verdict(gatedOverPublic >= TARGETS.gatedOverPublic)],
    ['gated-allowed ÷ no-data page req/s ≥ 0.5 (warm, 0 ms)', gatedOverNoData.toFixed(2), verdict(gatedOverNoData >= TARGETS.gatedOverNoData)],
    ['50 ms Sanity latency adds ≤ 10 ms to warm p50 (worst page)', ms(worstPenalty), verdict(worstPenalty <= TARGETS.latencyPenaltyMs)],
    ['home at 10k docs ≤ 200 KB HTML', `${(scale10k.bytes / 1024).toFixed(0)} KB`, verdict(scale10k.bytes <= TARGETS.homeBytes)],
    ['home p50 at 10k ≤ 2× at 100 docs (warm)', `${(scale10k.warm / scale100.warm).toFixed(2)}×`, verdict(scale10k.warm <= TARGETS.homeGrowth * scale100.warm)],
    [
      'app-owned first-load JS ≤ 10 KiB gzip above the framework floor (worst reader page)',
      `${(worstFirstLoad - framework).toFixed(1)} KiB (${worstFirstLoad.toFixed(1)} KiB, framework ${framework.toFixed(1)})`,
      verdict(worstFirstLoad - framework <= TARGETS.appFirstLoadKiB),
    ],
    ['one Chromium home view ≤ 2 Sanity requests cold', String(chromiumCold.view), verdict(chromiumCold.view <= TARGETS.chromiumHomeCold)],
  ],
)
console.log(rows.join('\n'))
// Redis and the other children keep the event loop alive: stop them and end here.
for (const child of children) child.kill('SIGTERM')
process.exit(missed > 0 ? 1 : 0)
