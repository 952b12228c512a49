// npm run bench:sync — publish → IdP-applied latency on the embedded defaults' loop:
// lake mutation → signed webhook → /api/webhooks/sanity/local → local IdP admin API.
// Needs a production build (`next build`, which the npm script runs first). Prints p50/p95.
import { setTimeout as sleep } from 'node:timers/promises'
import { localDefaults } from '../lib/config/defaults.ts'
import { percentile, publishRoles, startBenchStack } from './support/stack.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40)
const stack = await startBenchStack('sync', { app: 3700, idp: 4700, lake: 4701 })

const roles = async () =>
  (
    (await (await fetch(`${stack.idpUrl}/admin/users/dave`, { headers: { authorization: `Bearer ${localDefaults.idpAdminToken}` } })).json()) as {
      roles: string[]
    }
  ).roles

const publish = (keys: string[]) => publishRoles(stack, 'memberProfile.dave', keys)

try {
  // Warm the route (first request compiles nothing in production, but loads the sync code).
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
  const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length
  console.log(`\nsync publish → IdP applied (local loop), ${ROUNDS} publishes:`)
  console.log(
    `  p50 ${percentile(latencies, 50).toFixed(1)} ms   p95 ${percentile(latencies, 95).toFixed(1)} ms   max ${Math.max(...latencies).toFixed(1)} ms   mean ${mean.toFixed(1)} ms`,
  )
} finally {
  stack.stop()
}
