import { spawn, type ChildProcess } from 'node:child_process'
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test'
import { accessMatrix, expectedOutcome } from '../tests/access-matrix'
import { freshRateWindow } from './support'

// Headers on odd paths, failures of what the app depends on, and the rate limits with lowered budgets
// (lib/ratelimit; README, *Rate limits*) — on an app and a lake of their own, so the lake can be slowed
// and stopped and the budgets spent without touching the other specs' stack.
test.describe.configure({ mode: 'serial' })

const [appPort, lakePort] = [3194, 4194]
const base = `http://localhost:${appPort}`
const lakeUrl = `http://localhost:${lakePort}`
const dir = `.data/e2e-limits-${process.pid}`
const lakeAuth = { authorization: 'Bearer gatehouse-local-write-token' }
const LIMITS = { search: 4, notFound: 5 }

let lake: ChildProcess
let app: ChildProcess

test.beforeAll(async ({ request }) => {
  lake = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { startLake } from './dev/lake/server.ts'
       await startLake({ port: ${lakePort}, dataFile: '${dir}/lake.ndjson', seedFile: 'sanity/seed/seed.ndjson',
         tokens: { 'gatehouse-local-read-token': 'read', 'gatehouse-local-write-token': 'write' } })`,
    ],
    { stdio: 'ignore' },
  )
  app = spawn('node_modules/.bin/next', ['start', '-p', String(appPort)], {
    env: {
      ...process.env,
      PORT: String(appPort),
      APP_BASE_URL: base,
      LOCAL_LAKE_URL: lakeUrl,
      SESSION_SECRET: 'limits-test-session-secret-0123456789abcdef',
      SANITY_WEBHOOK_SECRET_CONTENT: 'limits-test-content-secret',
      RATE_LIMIT_SEARCH: String(LIMITS.search),
      RATE_LIMIT_NOT_FOUND: String(LIMITS.notFound),
      AUDIT_SINKS: 'none',
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: 'ignore',
  })
  await expect(async () => expect((await request.get(`${base}/docs/getting-started`)).status()).toBe(200)).toPass({ timeout: 30_000 })
})

test.afterAll(() => {
  app?.kill()
  lake?.kill('SIGKILL')
})

/** Each test its own client address (the trusted header is x-forwarded-for, its last entry), so budgets never mix. */
let clients = 0
const newClient = () => ({ 'x-forwarded-for': `198.51.100.${++clients}` })
const get = (request: APIRequestContext, path: string, headers: Record<string, string> = {}) => request.get(`${base}${path}`, { headers, maxRedirects: 0 })
const lakeQueries = async () => ((await (await fetch(`${lakeUrl}/__lake/stats`, { headers: lakeAuth })).json()) as { queries: number }).queries
const setLatency = (ms: number) =>
  fetch(`${lakeUrl}/__lake/latency`, { method: 'PUT', headers: { ...lakeAuth, 'content-type': 'application/json' }, body: JSON.stringify({ ms }) })

function expectRefused(response: APIResponse, status: 429 | 503) {
  expect(response.status()).toBe(status)
  expect(response.headers()['cache-control']).toBe('no-store')
  expect(Number(response.headers()['retry-after'])).toBeGreaterThanOrEqual(1)
}

test('the sign-in redirect of a gated doc’s Markdown is never stored, nor is the page’s', async ({ request }) => {
  const headers = newClient()
  const md = await get(request, '/docs/partner-onboarding.md', headers)
  expect(md.status()).toBe(307)
  expect(md.headers()['location']).toBe(`${base}/sign-in?returnTo=${encodeURIComponent('/docs/partner-onboarding.md')}`)
  expect(md.headers()['cache-control']).toBe('no-store')
  const page = await get(request, '/docs/partner-onboarding', headers)
  expect(page.status()).toBe(307)
  expect(page.headers()['cache-control']).toContain('no-store')
})

test('an unknown slug is answered without a Sanity query, exactly like a doc hidden from the reader', async ({ request }) => {
  const headers = newClient()
  // Warm: the audience's page tree (one query), which the 404 answer comes from.
  expect((await get(request, '/docs/getting-started.md', headers)).status()).toBe(200)
  const before = await lakeQueries()
  const unknown = await get(request, `/docs/no-such-doc-${Date.now()}.md`, headers)
  const hidden = await get(request, '/docs/beta-features.md', headers) // visibility hidden; anonymous may not know of it
  expect(await lakeQueries(), 'no query for either 404').toBe(before)
  for (const response of [unknown, hidden]) expect(response.status()).toBe(404)
  expect(await hidden.text()).toBe(await unknown.text())
  const comparable = (response: APIResponse) =>
    Object.fromEntries(Object.entries(response.headers()).filter(([name]) => !['date', 'content-security-policy'].includes(name)))
  expect(comparable(hidden)).toEqual(comparable(unknown))
})

test('past the 404 budget an address gets 429 on every doc — hidden and unknown slugs count alike — and others are unaffected', async ({ request }) => {
  const [probing, hiding, bystander] = [newClient(), newClient(), newClient()]
  test.setTimeout(120_000)
  await freshRateWindow(30)
  // One address asks for unknown slugs, the other for docs hidden from it: the same count, the same answers.
  const hiddenSlugs = Object.keys(accessMatrix).filter((slug) => expectedOutcome(slug, 'anon') === 'notFound')
  expect(hiddenSlugs.length).toBeGreaterThanOrEqual(LIMITS.notFound)
  for (let i = 0; i < LIMITS.notFound; i++) {
    expect((await get(request, `/docs/unknown-${Date.now()}-${i}`, probing)).status()).toBe(404)
    expect((await get(request, `/docs/${hiddenSlugs[i]}.md`, hiding)).status()).toBe(404)
  }
  // One more each: the budget is spent (the 404 that spends it is still a 404).
  expect((await get(request, '/docs/unknown-last', probing)).status()).toBe(404)
  expect((await get(request, '/docs/beta-features', hiding)).status()).toBe(404)
  for (const who of [probing, hiding]) {
    for (const path of ['/docs/getting-started', '/docs/beta-features', '/docs/never-was', '/docs/getting-started.md']) {
      const refused = await get(request, path, who)
      expectRefused(refused, 429)
      expect(await refused.text()).toMatch(/Too many requests/)
    }
  }
  expect((await get(request, '/docs/getting-started', bystander)).status()).toBe(200)
  // The address proxy.ts forwards cannot be chosen by a client: posing as the blocked one changes nothing.
  expect((await get(request, '/docs/getting-started', { ...bystander, 'x-gatehouse-client-address': probing['x-forwarded-for'] })).status()).toBe(200)
})

test('search: the page and the API share one budget per client; past it, 429 with Retry-After', async ({ request }) => {
  const headers = newClient()
  await freshRateWindow()
  expect((await get(request, '/search?q=billing', headers)).status()).toBe(200)
  expect((await get(request, '/api/search?q=billing', headers)).status()).toBe(200)
  expect((await get(request, '/search?q=events', headers)).status()).toBe(200)
  expect((await get(request, '/api/search?q=events', headers)).status()).toBe(200)
  const api = await get(request, '/api/search?q=billing', headers)
  expectRefused(api, 429)
  expect(await api.json()).toMatchObject({ error: 'rate_limited' })
  expectRefused(await get(request, '/search?q=billing', headers), 429)
  // The search page without a query is not a search.
  expect((await get(request, '/search', headers)).status()).toBe(200)
  expect((await get(request, '/api/search?q=billing', newClient())).status()).toBe(200)
})

test('a search Sanity does not answer in time is a 503 with Retry-After, not a 500', async ({ request }) => {
  await setLatency(6_000) // past the client's 2 s timeout, retried once
  try {
    const response = await get(request, '/api/search?q=billing', newClient())
    expectRefused(response, 503)
    expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' })
  } finally {
    await setLatency(0)
  }
})

test('with Sanity stopped, route handlers answer 503 + Retry-After + no-store, never a bare 500', async ({ request }) => {
  lake.kill('SIGKILL')
  await expect
    .poll(() =>
      fetch(`${lakeUrl}/health`).then(
        () => 'up',
        () => 'down',
      ),
    )
    .toBe('down')
  const headers = newClient()
  for (const path of ['/api/search?q=billing', '/llms-full.txt', '/docs/quickstart.md']) {
    const response = await get(request, path, headers)
    expectRefused(response, 503)
    expect(await response.text(), path).toMatch(/did not answer in time/)
  }
})
