// npm run bench:sync — publish → IdP-applied latency on the embedded defaults' loop:
// lake mutation → signed webhook → /api/webhooks/sanity/local → local IdP admin API.
// Needs a production build (`next build`, which the npm script runs first). Prints p50/p95.
import { spawn } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { localDefaults } from '../lib/config/defaults.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40)
const ports = { app: 3700, idp: 4700, lake: 4701 }
const lakeUrl = `http://localhost:${ports.lake}`
const idpUrl = `http://localhost:${ports.idp}`

await rm('.data/bench', { recursive: true, force: true })
const stack = spawn('node', ['dev/stack.ts', '--', 'next', 'start'], {
  env: {
    ...process.env,
    APP_BASE_URL: `http://localhost:${ports.app}`,
    LOCAL_IDP_URL: idpUrl,
    LOCAL_LAKE_URL: lakeUrl,
    LOCAL_LAKE_DATA_FILE: '.data/bench/lake.ndjson',
    LOCAL_IDP_KEYS_FILE: '.data/bench/idp-keys.json',
    NEXT_TELEMETRY_DISABLED: '1',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
})

async function waitFor(url: string) {
  for (let i = 0; i < 600; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return
    await sleep(100)
  }
  throw new Error(`${url} did not come up`)
}

const roles = async () =>
  ((await (await fetch(`${idpUrl}/admin/users/dave`, { headers: { authorization: `Bearer ${localDefaults.idpAdminToken}` } })).json()) as { roles: string[] }).roles

async function publish(keys: string[]) {
  const response = await fetch(`${lakeUrl}/v2025-02-19/data/mutate/production`, {
    method: 'POST',
    headers: { authorization: `Bearer ${localDefaults.lakeWriteToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mutations: [{ patch: { id: 'memberProfile.dave', set: { roles: keys.map((k) => ({ _type: 'reference', _ref: `accessRole.${k}`, _key: k })) } } }] }),
  })
  if (!response.ok) throw new Error(`publish failed: ${response.status}`)
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

try {
  await waitFor(`http://localhost:${ports.app}/sign-in`)
  await waitFor(`${idpUrl}/health`)
  // Warm the route (first request compiles nothing in production, but opens connections).
  await publish(['beta_tester'])
  await sleep(500)
  const latencies: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const keys = round % 2 === 0 ? ['beta_tester', 'partner_admin'] : ['beta_tester']
    const started = performance.now()
    await publish(keys)
    const deadline = started + 10_000
    while ((await roles()).join(',') !== [...keys].sort().join(',')) {
      if (performance.now() > deadline) throw new Error(`round ${round}: not applied within 10 s`)
      await sleep(2)
    }
    latencies.push(performance.now() - started)
  }
  const sorted = [...latencies].sort((a, b) => a - b)
  const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length
  console.log(`sync publish → IdP applied (local loop), ${ROUNDS} publishes:`)
  console.log(`  p50 ${percentile(sorted, 50).toFixed(1)} ms   p95 ${percentile(sorted, 95).toFixed(1)} ms   max ${sorted.at(-1)!.toFixed(1)} ms   mean ${mean.toFixed(1)} ms`)
} finally {
  stack.kill('SIGTERM')
}
