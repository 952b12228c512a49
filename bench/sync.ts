// npm run bench:sync — publish → IdP-applied latency on the embedded defaults' loop, in each sync
// runtime: lake mutation → signed webhook → /api/webhooks/sanity/local → local IdP admin API
// (SYNC_RUNTIME=webhook), and lake mutation → the `local` sync function run by the lake as Sanity
// would → local IdP admin API (SYNC_RUNTIME=functions). Needs a production build (`next build`,
// which the npm script runs first). Prints p50/p95 per runtime.
import { setTimeout as sleep } from 'node:timers/promises'
import { localDefaults } from '../lib/config/defaults.ts'
import { percentile, publishRoles, startBenchStack, type BenchStack } from './support/stack.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40)
const RUNTIMES = [
  { runtime: 'webhook', ports: { app: 3700, idp: 4700, lake: 4701 } },
  { runtime: 'functions', ports: { app: 3720, idp: 4720, lake: 4721 } },
] as const

async function measure(stack: BenchStack): Promise<number[]> {
  const roles = async () =>
    (
      (await (await fetch(`${stack.idpUrl}/admin/users/dave`, { headers: { authorization: `Bearer ${localDefaults.idpAdminToken}` } })).json()) as {
        roles: string[]
      }
    ).roles
  const publish = (keys: string[]) => publishRoles(stack, 'memberProfile.dave', keys)
  // Warm up (the route's or the function's first run loads the sync code).
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
  return latencies
}

for (const { runtime, ports } of RUNTIMES) {
  const stack = await startBenchStack(`sync-${runtime}`, ports, { SYNC_RUNTIME: runtime })
  try {
    const latencies = await measure(stack)
    const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length
    console.log(`\nsync publish → IdP applied (local loop, SYNC_RUNTIME=${runtime}), ${ROUNDS} publishes:`)
    console.log(
      `  p50 ${percentile(latencies, 50).toFixed(1)} ms   p95 ${percentile(latencies, 95).toFixed(1)} ms   max ${Math.max(...latencies).toFixed(1)} ms   mean ${mean.toFixed(1)} ms`,
    )
  } finally {
    stack.stop()
    await sleep(1000) // the stack's ports are free before the next one starts
  }
}
