// npm run bench:scale — the docs layout at 10,000 docs over 200 roles (bench/support/scaled-seed.ts),
// on a production build of the embedded defaults: HTML size and links per page against the budgets,
// and time per view. Signed out, and as alice (who reads thousands of the docs and is locked out of
// thousands more).
import { mkdir, writeFile } from 'node:fs/promises'
import { signInOverHttp } from './support/http-session.ts'
import { SCALE_DOCS, scaledSeed } from './support/scaled-seed.ts'
import { percentile, startBenchStack } from './support/stack.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10)
// Time: the local lake evaluates GROQ in-process (groq-js), ~0.8 s for the navigation query at 10k docs.
const TARGETS = { homeBytes: 200 * 1024, links: 200, p95Ms: 1500 }

await mkdir('.data', { recursive: true })
const seedFile = '.data/bench-scale-seed.ndjson'
await writeFile(seedFile, scaledSeed(SCALE_DOCS))
const stack = await startBenchStack('scale', { app: 3720, idp: 4720, lake: 4721 }, { LOCAL_LAKE_SEED_FILE: seedFile })

const links = (html: string) => (html.match(/<a\s/g) ?? []).length

async function measure(path: string, cookie: string) {
  const times: number[] = []
  let html = ''
  for (let round = -1; round < ROUNDS; round++) {
    const started = performance.now()
    const response = await fetch(new URL(path, stack.appUrl), { headers: cookie ? { cookie } : {}, redirect: 'manual' })
    html = await response.text()
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`)
    if (round >= 0) times.push(performance.now() - started)
  }
  return { bytes: Buffer.byteLength(html), links: links(html), p50: percentile(times, 50), p95: percentile(times, 95) }
}

try {
  const alice = await signInOverHttp(stack.appUrl, 'alice')
  const rows: string[] = []
  let missed = 0
  // Docs each may read: scale-<i> with i % 10 == 0 is public; alice holds partner_admin (i % 4 == 0).
  for (const [who, cookie, doc] of [
    ['signed out', '', '/docs/scale-5000'],
    ['alice', alice, '/docs/scale-5004'],
  ] as const) {
    for (const path of ['/', '/docs/scale-0', doc, '/sections/scale-10', '/sections/scale-10?page=5']) {
      const m = await measure(path, cookie)
      const ok = (path !== '/' || m.bytes <= TARGETS.homeBytes) && m.links <= TARGETS.links && m.p95 <= TARGETS.p95Ms
      if (!ok) missed++
      rows.push(
        `| ${who} | ${path} | ${(m.bytes / 1024).toFixed(0)} KB | ${m.links} | ${m.p50.toFixed(0)} ms | ${m.p95.toFixed(0)} ms | ${path === '/' ? '≤ 200 KB, ' : ''}≤ ${TARGETS.links} links, p95 ≤ ${TARGETS.p95Ms} ms | ${ok ? 'met' : 'MISSED'} |`,
      )
    }
  }
  // Search and the AI surfaces: the same rule over 10,000 docs, per reader.
  const surfaces: string[] = []
  for (const [who, cookie] of [
    ['signed out', ''],
    ['alice', alice],
  ] as const) {
    for (const [path, target] of [
      ['/api/search?q=exports', TARGETS.p95Ms],
      ['/api/search?q=generated%20body', TARGETS.p95Ms],
      ['/llms.txt', TARGETS.p95Ms * 2],
      ['/llms-full.txt', TARGETS.p95Ms * 2],
      ['/docs/scale-0.md', TARGETS.p95Ms],
    ] as const) {
      const m = await measure(path, cookie)
      const ok = m.p95 <= target
      if (!ok) missed++
      surfaces.push(
        `| ${who} | ${path} | ${(m.bytes / 1024).toFixed(0)} KB | ${m.p50.toFixed(0)} ms | ${m.p95.toFixed(0)} ms | p95 ≤ ${target} ms | ${ok ? 'met' : 'MISSED'} |`,
      )
    }
  }
  console.log(`\nDocs layout at ${SCALE_DOCS.toLocaleString('en')} docs, 20 sections, 200 roles (${ROUNDS} views each, production build, local lake)\n`)
  console.log('| reader | page | HTML | links | p50 | p95 | target | |')
  console.log('|---|---|---|---|---|---|---|---|')
  for (const row of rows) console.log(row)
  console.log(`\nSearch and AI surfaces at ${SCALE_DOCS.toLocaleString('en')} docs\n`)
  console.log('| reader | request | body | p50 | p95 | target | |')
  console.log('|---|---|---|---|---|---|---|')
  for (const row of surfaces) console.log(row)
  process.exitCode = missed > 0 ? 1 : 0
} finally {
  stack.stop()
}
