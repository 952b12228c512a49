import { encodeSignatureHeader } from '@sanity/webhook'
import { expect, test } from '@playwright/test'
import { createClient } from 'redis'
import { loadSeed } from '../../tests/access-matrix'
import { bearerToken } from '../api-tokens'
import { publish, within } from '../sessions'
import { stacks } from '../stacks'
import { freshRateWindow, signInAndReturn } from '../support'

// Two instances of the app (A on :3800, B on :3801) share one Redis. The lake's webhooks reach A;
// readers are served by B. Cookies are per host, not per port, so both see the same browser session.
test.describe.configure({ mode: 'serial' })

const A = `http://localhost:${stacks.cluster.app}`
const B = `http://localhost:${stacks.cluster.app + 1}`
const status = async (request: import('@playwright/test').APIRequestContext, url: string) => (await request.get(url, { maxRedirects: 0 })).status()

test('a session started on A is served by B; signing out on A ends it on B', async ({ page, context }) => {
  await signInAndReturn(page, 'alice')
  expect(new URL(page.url()).origin).toBe(A)
  expect(await status(page.request, `${B}/account`)).toBe(200)
  expect(await status(page.request, `${B}/docs/partner-onboarding`)).toBe(200)
  const kept = await context.cookies()
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible()
  await context.addCookies(kept)
  expect(await status(page.request, `${B}/account`)).toBe(307)
  expect(await status(page.request, `${B}/docs/partner-onboarding`)).toBe(307)
})

test('an access change delivered to A reaches a reader on B within a second', async ({ page }) => {
  await signInAndReturn(page, 'frank')
  expect(await status(page.request, `${B}/docs/beta-features`)).toBe(200)
  try {
    await publish('cluster', [{ patch: { id: 'memberProfile.frank', set: { roles: [] } } }])
    await within(1000, async () => (await status(page.request, `${B}/docs/beta-features`)) === 404, 'role removal seen on B')
    expect(await status(page.request, `${B}/docs/partner-onboarding`)).toBe(403)
  } finally {
    await publish('cluster', [{ createOrReplace: loadSeed().find((doc) => doc._id === 'memberProfile.frank') }])
  }
  await within(1000, async () => (await status(page.request, `${B}/docs/beta-features`)) === 200, 'restore seen on B')
})

test('a webhook delivery applied by A is a duplicate on B', async ({ request }) => {
  const body = JSON.stringify({ _id: 'memberProfile.bob', _type: 'memberProfile' })
  const send = async (origin: string) =>
    request.post(`${origin}/api/webhooks/sanity/access`, {
      headers: {
        'content-type': 'application/json',
        'sanity-webhook-signature': await encodeSignatureHeader(body, Date.now(), 'e2e-cluster-webhook-secret'),
        'sanity-operation': 'update',
        'sanity-document-id': 'memberProfile.bob',
        'idempotency-key': `idem-cluster-${Date.now()}`,
      },
      data: body,
    })
  const key = `idem-cluster-${Date.now()}`
  const first = await request.post(`${A}/api/webhooks/sanity/access`, {
    headers: {
      'content-type': 'application/json',
      'sanity-webhook-signature': await encodeSignatureHeader(body, Date.now(), 'e2e-cluster-webhook-secret'),
      'idempotency-key': key,
    },
    data: body,
  })
  expect(first.status()).toBe(200)
  const again = await request.post(`${B}/api/webhooks/sanity/access`, {
    headers: {
      'content-type': 'application/json',
      'sanity-webhook-signature': await encodeSignatureHeader(body, Date.now() + 1, 'e2e-cluster-webhook-secret'),
      'idempotency-key': key,
    },
    data: body,
  })
  expect(again.status()).toBe(200)
  expect(await again.json()).toMatchObject({ duplicate: true })
  // A new delivery (new key) still applies, on either instance.
  expect((await send(B)).status()).toBe(200)
})

test('a publish delivered to A expires the cached page on B: tag expiries live in the shared store', async ({ request }) => {
  const id = 'gatedPage.e2e-cluster-cache'
  const page = (title: string) => ({
    _id: id,
    _type: 'gatedPage',
    title,
    slug: { _type: 'slug', current: 'e2e-cluster-cache' },
    audience: 'public',
    section: { _type: 'reference', _ref: 'docSection.guides' },
    body: [{ _type: 'block', _key: 'b', style: 'normal', markDefs: [], children: [{ _type: 'span', _key: 's', text: 'x', marks: [] }] }],
  })
  await publish('cluster', [{ createOrReplace: page('Cluster cache, first') }])
  try {
    await new Promise((resolve) => setTimeout(resolve, 2_500)) // past the clock-skew margin of that publish
    const title = async () => /<h1[^>]*>([^<]*)/.exec(await (await request.get(`${B}/docs/e2e-cluster-cache`)).text())?.[1]
    expect(await title()).toBe('Cluster cache, first')
    // Cached on B: the lake is not asked again.
    const reads = async () =>
      (
        (await (
          await fetch(`http://localhost:${stacks.cluster.lake}/__lake/stats`, { headers: { authorization: 'Bearer gatehouse-local-write-token' } })
        ).json()) as { bySlug: Record<string, number> }
      ).bySlug['e2e-cluster-cache'] ?? 0
    const before = await reads()
    expect(await title()).toBe('Cluster cache, first')
    expect(await reads()).toBe(before)
    // The webhook goes to A only; B's next view is the new page.
    await publish('cluster', [{ patch: { id, set: { title: 'Cluster cache, second' } } }])
    await within(1000, async () => (await title()) === 'Cluster cache, second', 'the publish seen on B')
  } finally {
    await publish('cluster', [{ delete: { id } }])
  }
})

test('while Redis refuses writes, a narrowing publish and a member revocation delivered to A are honoured on B', async ({ page }) => {
  // Redis at maxmemory under noeviction: every SET is refused (OOM) while GET and DEL still answer, so
  // the webhooks on A answer 503 and the lake retries — and B must stop serving what they would remove.
  const redis = createClient({ url: 'redis://127.0.0.1:4802' })
  await redis.connect()
  const refuseWrites = (refuse: boolean) => redis.configSet({ 'maxmemory-policy': 'noeviction', maxmemory: refuse ? '1' : '0' })
  const id = 'gatedPage.e2e-cluster-narrow'
  const marker = 'GH-CLUSTER-NARROW-BODY'
  const probe = (requiredRoles: string[]) => ({
    _id: id,
    _type: 'gatedPage',
    title: 'Cluster narrowing probe',
    slug: { _type: 'slug', current: 'e2e-cluster-narrow' },
    audience: 'signedIn',
    requiredRoles,
    section: { _type: 'reference', _ref: 'docSection.guides' },
    body: [{ _type: 'block', _key: 'b', style: 'normal', markDefs: [], children: [{ _type: 'span', _key: 's', text: marker, marks: [] }] }],
  })
  const view = async (path: string) => {
    const response = await page.request.get(`${B}${path}`, { maxRedirects: 0 })
    return { status: response.status(), body: await response.text() }
  }
  await publish('cluster', [{ createOrReplace: probe(['partner_admin']) }])
  try {
    await signInAndReturn(page, 'frank')
    await new Promise((resolve) => setTimeout(resolve, 2_500)) // past the clock-skew margin of that publish
    expect((await view('/docs/e2e-cluster-narrow')).body).toContain(marker)
    expect((await view('/docs/e2e-cluster-narrow')).body).toContain(marker) // now cached on B
    expect((await view('/docs/beta-features')).status).toBe(200)

    await refuseWrites(true)
    // The narrowing publish: A cannot record its expiry.
    await publish('cluster', [{ patch: { id, set: { requiredRoles: ['customer_admin'] } } }])
    await within(3000, async () => (await view('/docs/e2e-cluster-narrow')).status === 403, 'the narrowed page refused on B')
    const refused = await view('/docs/e2e-cluster-narrow')
    expect(refused.body).not.toContain(marker)
    // The member revocation: A cannot record frank's new access.
    await publish('cluster', [{ patch: { id: 'memberProfile.frank', set: { roles: [] } } }])
    await within(3000, async () => (await view('/docs/beta-features')).status === 404, 'frank’s removed role refused on B')
    expect((await view('/docs/partner-onboarding')).status).toBe(403)
  } finally {
    await refuseWrites(false)
    await redis.close()
    await publish('cluster', [{ createOrReplace: loadSeed().find((doc) => doc._id === 'memberProfile.frank') }, { delete: { id } }])
  }
  // Writes accepted again: the retried deliveries apply and frank's restored profile is read.
  await within(10_000, async () => (await view('/docs/beta-features')).status === 200, 'restore seen on B')
})

test('a rate limit holds across instances: part of the budget spent on A, the rest on B, then 429 on both', async ({ request }) => {
  // RATE_LIMIT_SEARCH is 20 on this stack; the budget lives in the shared Redis, not in either process.
  const budget = Number(stacks.cluster.env.RATE_LIMIT_SEARCH)
  await freshRateWindow()
  const client = { 'x-forwarded-for': `203.0.113.${Date.now() % 250}` }
  const search = (origin: string) => request.get(`${origin}/api/search?q=billing`, { headers: client })
  for (let i = 0; i < budget; i++) expect((await search(i < 12 ? A : B)).status(), `request ${i + 1}`).toBe(200)
  for (const origin of [A, B]) {
    const refused = await search(origin)
    expect(refused.status(), origin).toBe(429)
    expect(refused.headers()['cache-control']).toBe('no-store')
    expect(Number(refused.headers()['retry-after'])).toBeGreaterThanOrEqual(1)
    // The /search page counts into the same budget, on either instance.
    expect((await request.get(`${origin}/search?q=billing`, { headers: client })).status()).toBe(429)
  }
  // Another client is unaffected.
  expect((await request.get(`${B}/api/search?q=billing`, { headers: { 'x-forwarded-for': '192.0.2.77' } })).status()).toBe(200)
})

test('MCP: a batch over the cap is refused before it runs; tool calls count per reader across instances, wherever the address', async ({ request }) => {
  const token = await bearerToken('cluster', 'alice')
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }
  const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'billing' } } })
  const batch = (n: number) => Array.from({ length: n }, (_, i) => call(i + 1))
  await freshRateWindow()
  const tooBig = await request.post(`${A}/api/mcp`, { headers, data: JSON.stringify(batch(11)) })
  expect(tooBig.status()).toBe(400)
  expect(await tooBig.json()).toMatchObject({ error: { code: -32600 } })
  // RATE_LIMIT_MCP_TOOL_CALLS is 30 here: 10 + 6 on A (one address), 10 + 4 on B (another) use it up.
  const first = await request.post(`${A}/api/mcp`, { headers: { ...headers, 'x-forwarded-for': '192.0.2.1' }, data: JSON.stringify(batch(10)) })
  expect(first.status()).toBe(200)
  expect(((await first.json()) as unknown[]).length).toBe(10)
  for (const [origin, address, size] of [
    [A, '192.0.2.1', 6],
    [B, '192.0.2.2', 10],
    [B, '192.0.2.2', 4],
  ] as const)
    expect((await request.post(`${origin}/api/mcp`, { headers: { ...headers, 'x-forwarded-for': address }, data: JSON.stringify(batch(size)) })).status()).toBe(
      200,
    )
  const refused = await request.post(`${B}/api/mcp`, { headers: { ...headers, 'x-forwarded-for': '192.0.2.3' }, data: JSON.stringify(batch(1)) })
  expect(refused.status()).toBe(429)
  expect(refused.headers()['retry-after']).toBeTruthy()
})
