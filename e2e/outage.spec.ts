import { spawn } from 'node:child_process'
import { expect, test } from '@playwright/test'

// With the content service down, a reader gets a helpful page with a 5xx status — not a blank 500.
// Its own server on a free port, pointed at a lake that does not answer.

test('a Sanity outage shows the “temporarily unavailable” page with a 5xx status', async ({ request, page }) => {
  const port = 3198
  const server = spawn('node_modules/.bin/next', ['start', '-p', String(port)], {
    env: {
      ...process.env,
      PORT: String(port),
      LOCAL_LAKE_URL: 'http://localhost:1',
      SESSION_SECRET: 'outage-test-session-secret-0123456789abcdef',
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: 'ignore',
  })
  try {
    await expect(async () => expect((await request.get(`http://localhost:${port}/sign-in`)).status()).toBe(200)).toPass({ timeout: 30_000 })
    const response = await page.goto(`http://localhost:${port}/docs/getting-started`, { timeout: 30_000 })
    expect(response!.status()).toBeGreaterThanOrEqual(500)
    // Next sends an error page's content as RSC data; the browser renders it (error.tsx).
    await expect(page.getByTestId('site-error')).toContainText('The documentation is temporarily unavailable', { timeout: 20_000 })
  } finally {
    server.kill()
  }
})

test('with Sanity stopped mid-run, a page its audience has viewed is still served; one it has not is the 5xx page', async ({ request }) => {
  const [appPort, lakePort] = [3196, 4196]
  const dir = `.data/e2e-outage-${process.pid}`
  // A lake of its own in a process of its own, so the test can stop it while the app runs.
  const lake = spawn(
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
  const app = spawn('node_modules/.bin/next', ['start', '-p', String(appPort)], {
    env: {
      ...process.env,
      PORT: String(appPort),
      APP_BASE_URL: `http://localhost:${appPort}`,
      LOCAL_LAKE_URL: `http://localhost:${lakePort}`,
      SESSION_SECRET: 'outage-test-session-secret-0123456789abcdef',
      SANITY_WEBHOOK_SECRET_CONTENT: 'outage-test-content-secret',
      // Entries outlive their lifetime within the test: the stale-while-unreachable path is the one taken.
      CONTENT_CACHE_SECONDS: '1',
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: 'ignore',
  })
  const base = `http://localhost:${appPort}`
  try {
    await expect(async () => expect((await request.get(`${base}/docs/getting-started`)).status()).toBe(200)).toPass({ timeout: 30_000 })
    const viewed = await (await request.get(`${base}/docs/getting-started`)).text()
    expect(viewed).toContain('Getting started')
    await new Promise((resolve) => setTimeout(resolve, 1_500)) // past the entry's lifetime
    lake.kill('SIGKILL')
    await expect
      .poll(() =>
        fetch(`http://localhost:${lakePort}/health`).then(
          () => 'up',
          () => 'down',
        ),
      )
      .toBe('down')

    for (let i = 0; i < 3; i++) {
      const again = await request.get(`${base}/docs/getting-started`)
      expect(again.status(), 'the last good page for this audience').toBe(200)
      expect(await again.text()).toContain('Getting started')
    }
    // Never viewed by anyone signed out: nothing to fall back on, so the helpful 5xx page, promptly.
    const unseen = await request.get(`${base}/docs/quickstart`, { timeout: 15_000 })
    expect(unseen.status()).toBeGreaterThanOrEqual(500)
    expect(await unseen.text()).not.toContain('Quickstart</h1>')
  } finally {
    app.kill()
    lake.kill('SIGKILL')
  }
})

test('a narrowing publish while Sanity answers slowly stops the cached page at once, not when Sanity recovers', async ({ request }) => {
  // A stack of its own (lake, IdP, app) so the lake can be slowed without slowing other specs.
  const [appPort, idpPort, lakePort] = [3194, 4194, 4195]
  const dir = `.data/e2e-slow-${process.pid}`
  const base = `http://localhost:${appPort}`
  const lake = `http://localhost:${lakePort}`
  const auth = { authorization: 'Bearer gatehouse-local-write-token', 'content-type': 'application/json' }
  const stack = spawn(process.execPath, ['dev/stack.ts', '--', 'next', 'start'], {
    env: {
      ...process.env,
      APP_BASE_URL: base,
      LOCAL_IDP_URL: `http://localhost:${idpPort}`,
      LOCAL_LAKE_URL: lake,
      LOCAL_LAKE_DATA_FILE: `${dir}/lake.ndjson`,
      LOCAL_IDP_KEYS_FILE: `${dir}/idp-keys.json`,
      SESSION_SECRET: 'outage-test-session-secret-0123456789abcdef',
      SANITY_WEBHOOK_SECRET_CONTENT: 'outage-test-content-secret',
      SANITY_WEBHOOK_SECRET_ACCESS: 'outage-test-access-secret',
      AUDIT_SINKS: 'store',
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: 'ignore',
  })
  const marker = 'GH-SLOW-NARROW-BODY'
  const mutate = async (mutations: unknown[]) => {
    const response = await fetch(`${lake}/v2025-02-19/data/mutate/production`, { method: 'POST', headers: auth, body: JSON.stringify({ mutations }) })
    expect(response.ok).toBe(true)
  }
  const setLatency = async (ms: number) =>
    expect((await fetch(`${lake}/__lake/latency`, { method: 'PUT', headers: auth, body: JSON.stringify({ ms }) })).status).toBe(200)
  const probe = (audience: string) => ({
    _id: 'gatedPage.e2e-slow-narrow',
    _type: 'gatedPage',
    title: 'Slow narrowing probe',
    slug: { _type: 'slug', current: 'e2e-slow-narrow' },
    audience,
    section: { _type: 'reference', _ref: 'docSection.guides' },
    body: [{ _type: 'block', _key: 'b', style: 'normal', markDefs: [], children: [{ _type: 'span', _key: 's', text: marker, marks: [] }] }],
  })
  try {
    await expect(async () => expect((await request.get(`${base}/sign-in`)).status()).toBe(200)).toPass({ timeout: 60_000 })
    await mutate([{ createOrReplace: probe('public') }])
    await new Promise((resolve) => setTimeout(resolve, 2_500)) // past the clock-skew margin of that publish
    for (let i = 0; i < 2; i++) expect(await (await request.get(`${base}/docs/e2e-slow-narrow`)).text()).toContain(marker)
    // Every Sanity request now takes 3 s, longer than the app's 2 s read timeout.
    await setLatency(3000)
    await mutate([{ patch: { id: 'gatedPage.e2e-slow-narrow', set: { audience: 'signedIn' } } }])
    await new Promise((resolve) => setTimeout(resolve, 300)) // the lake fires the content webhook
    const during = await request.get(`${base}/docs/e2e-slow-narrow`, { maxRedirects: 0, timeout: 20_000 })
    // Sanity cannot answer in time: the helpful 5xx page — never the cached public body.
    expect(await during.text()).not.toContain(marker)
    await setLatency(0)
    const after = await request.get(`${base}/docs/e2e-slow-narrow`, { maxRedirects: 0 })
    expect(after.status()).toBe(307)
  } finally {
    stack.kill()
  }
})
