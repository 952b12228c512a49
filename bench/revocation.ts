// npm run bench:revocation — how fast access changes and sign-outs reach sessions already open, on a
// production build of the embedded defaults (local lake → signed webhook → app → shared store):
//  1. publish → existing session denied: an editor removes a role from frank's memberProfile; how long
//     until frank's next request (same cookie) no longer gets the doc (and the re-grant, back again).
//  2. sign-out → replay refused: how long after the sign-out form's POST the old cookie stops working.
import { signInOverHttp, signOutOverHttp } from './support/http-session.ts'
import { percentile, publishRoles as publishProfileRoles, startBenchStack } from './support/stack.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20)
const TARGET_MS = 1000
const stack = await startBenchStack('revocation', { app: 3710, idp: 4710, lake: 4711 })

const status = async (cookie: string, path: string) => (await fetch(new URL(path, stack.appUrl), { headers: { cookie }, redirect: 'manual' })).status

const publishRoles = (keys: string[]) => publishProfileRoles(stack, 'memberProfile.frank', keys)

async function until(check: () => Promise<boolean>, limitMs = 10_000): Promise<number> {
  const started = performance.now()
  while (!(await check())) {
    if (performance.now() - started > limitMs) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  return performance.now() - started
}

try {
  const frank = await signInOverHttp(stack.appUrl, 'frank')
  if ((await status(frank, '/docs/beta-features')) !== 200) throw new Error('frank cannot read beta-features at the start')
  const revoked: number[] = []
  const granted: number[] = []
  // Round 0 warms the server (its first import of the webhook route) and is not counted.
  for (let round = -1; round < ROUNDS; round++) {
    await publishRoles(['partner_admin'])
    const denied = await until(async () => (await status(frank, '/docs/beta-features')) === 404)
    await publishRoles(['beta_tester', 'partner_admin'])
    const allowed = await until(async () => (await status(frank, '/docs/beta-features')) === 200)
    if (round < 0) continue
    revoked.push(denied)
    granted.push(allowed)
  }

  const replay: number[] = []
  let refusedFirstTry = 0
  for (let round = 0; round < ROUNDS; round++) {
    const cookie = await signInOverHttp(stack.appUrl, 'bob')
    if ((await status(cookie, '/account')) !== 200) throw new Error('bob is not signed in')
    const signOut = await signOutOverHttp(stack.appUrl, cookie)
    const after = performance.now()
    if (signOut.status !== 303) throw new Error(`sign-out answered ${signOut.status}`)
    if ((await status(cookie, '/account')) === 307) refusedFirstTry++
    await until(async () => (await status(cookie, '/account')) === 307)
    replay.push(performance.now() - after)
  }

  const row = (name: string, values: number[], target: string, ok: boolean) =>
    `| ${name} | ${percentile(values, 50).toFixed(0)} ms | ${percentile(values, 95).toFixed(0)} ms | ${Math.max(...values).toFixed(0)} ms | ${target} | ${ok ? 'met' : 'MISSED'} |`
  console.log(`\nRevocation on the embedded defaults (${ROUNDS} rounds each, production build)\n`)
  console.log('| measure | p50 | p95 | max | target | |')
  console.log('|---|---|---|---|---|---|')
  console.log(row('publish → open session denied (role removed)', revoked, `p95 ≤ ${TARGET_MS} ms`, percentile(revoked, 95) <= TARGET_MS))
  console.log(row('publish → open session granted (role added)', granted, `p95 ≤ ${TARGET_MS} ms`, percentile(granted, 95) <= TARGET_MS))
  console.log(row('sign-out → old cookie refused', replay, 'first request after sign-out', refusedFirstTry === ROUNDS))
  console.log(`\nReplayed cookie refused on the first request after sign-out: ${refusedFirstTry}/${ROUNDS}`)
} finally {
  stack.stop()
}
