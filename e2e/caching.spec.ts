import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { localDefaults } from '../lib/config/defaults'
import { stacks } from './stacks'
import { previewAs, signInAndReturn } from './support'

// The shared content cache on a production build (README, *Caching model*): entries shared by
// audience and never across audiences, drafts and previews kept out of it, a publish (the content
// webhook the lake fires) read on the next view — for that page, not for every page. Links prefetch
// on intent, not on sight, and a click reuses the prefetch. The matrix, preview and revocation specs
// run on this stack with caching on too. Other specs share the lake, so Sanity's reads are counted per
// page slug (the lake's `bySlug`), on probe pages only this spec reads.

const lake = `http://localhost:${stacks.local.lake}`
const auth = { authorization: `Bearer ${localDefaults.lakeWriteToken}` }
const PROBE = 'gatedPage.e2e-cache-probe'
const probe = (fields: Record<string, unknown>, id = PROBE) => ({
  _id: id,
  _type: 'gatedPage',
  title: 'Cache probe',
  slug: { _type: 'slug', current: id.replace('gatedPage.', '') },
  section: { _type: 'reference', _ref: 'docSection.guides' },
  excerpt: 'A document the caching spec publishes.',
  body: [{ _type: 'block', _key: 'b1', style: 'normal', markDefs: [], children: [{ _type: 'span', _key: 's1', text: 'probe body', marks: [] }] }],
  ...fields,
})

/** How many times Sanity was asked for the page at `slug` while `work` ran. */
async function readsOf(slug: string, work: () => Promise<unknown>): Promise<number> {
  const count = async () => ((await (await fetch(`${lake}/__lake/stats`, { headers: auth })).json()) as { bySlug: Record<string, number> }).bySlug[slug] ?? 0
  const before = await count()
  await work()
  return (await count()) - before
}

/** Past the cache's clock-skew margin after a publish (lib/content/cache-handler.ts): entries made now are kept. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_500))

async function mutate(request: APIRequestContext, mutations: unknown[]) {
  const response = await request.post(`${lake}/v2025-02-19/data/mutate/production`, { headers: auth, data: { mutations } })
  expect(response.ok(), await response.text()).toBe(true)
}

test.describe('entries by audience', () => {
  // One after the other: the second reads the probe as alice, which would warm the first's entry.
  test.describe.configure({ mode: 'serial' })
  const A = 'gatedPage.e2e-cache-audience'
  const slug = 'e2e-cache-audience'
  const marker = 'GH-CACHE-AUDIENCE-BODY'
  test.beforeAll(async ({ request }) => {
    const body = [{ _type: 'block', _key: 'b1', style: 'normal', markDefs: [], children: [{ _type: 'span', _key: 's1', text: marker, marks: [] }] }]
    await mutate(request, [{ createOrReplace: probe({ audience: 'signedIn', requiredRoles: ['partner_admin'], body }, A) }])
    await settle()
  })
  test.afterAll(async ({ request }) => {
    await mutate(request, [{ delete: { id: A } }])
  })

  const view = (page: Page) => page.request.get(`/docs/${slug}`, { maxRedirects: 0 })

  test('two people with the same grants share one entry; other grants never see it', async ({ browser }) => {
    const as = async (username: string) => {
      const context = await browser.newContext({ baseURL: `http://localhost:${stacks.local.app}` })
      const page = await context.newPage()
      await signInAndReturn(page, username)
      return { page, close: () => context.close() }
    }
    // alice and grace hold the same grants (partner_admin, acme, pro, eu): one audience.
    const alice = await as('alice')
    const grace = await as('grace')
    const mallory = await as('mallory')
    try {
      expect(await readsOf(slug, async () => expect((await view(alice.page)).status()).toBe(200))).toBeLessThanOrEqual(1)
      expect(await readsOf(slug, async () => expect((await view(alice.page)).status()).toBe(200)), 'warm: Sanity is not asked').toBe(0)
      expect(
        await readsOf(slug, async () => {
          const response = await view(grace.page)
          expect(response.status()).toBe(200)
          expect(await response.text()).toContain(marker)
        }),
        'another person, same grants: the same entry',
      ).toBe(0)
      // Other audiences ask under their own keys, and get their own answer — never alice's page.
      const refused = await readsOf(slug, async () => {
        const response = await view(mallory.page)
        expect(response.status()).toBe(403)
        expect(await response.text()).not.toContain(marker)
      })
      expect(refused).toBe(1)
      const anonymous = await browser.newContext({ baseURL: `http://localhost:${stacks.local.app}` })
      const anon = await anonymous.request.get(`/docs/${slug}`, { maxRedirects: 0 })
      expect(anon.status()).toBe(307)
      expect(await anon.text()).not.toContain(marker)
      await anonymous.close()
    } finally {
      await Promise.all([alice.close(), grace.close(), mallory.close()])
    }
  })

  test('a preview and draft mode read drafts past the cache and leave nothing in it', async ({ page, request, browser }) => {
    const draftMarker = 'GH-CACHE-DRAFT-ONLY'
    await mutate(request, [
      { createOrReplace: { ...probe({ audience: 'signedIn', requiredRoles: ['partner_admin'] }, A), _id: `drafts.${A}`, title: draftMarker } },
    ])
    try {
      await signInAndReturn(page, 'erin')
      await previewAs(page, { roles: ['partner_admin'], tenant: 'acme', plan: 'pro' }, `/docs/${slug}`)
      for (let i = 0; i < 2; i++) {
        expect(
          await readsOf(slug, async () => expect(await (await page.request.get(`/docs/${slug}`)).text()).toContain(draftMarker)),
          'every preview view reads Sanity',
        ).toBeGreaterThanOrEqual(1)
      }
      // A reader who may read it: the published page, never the draft the preview just read.
      const context = await browser.newContext({ baseURL: `http://localhost:${stacks.local.app}` })
      const alice = await context.newPage()
      await signInAndReturn(alice, 'alice')
      const published = await alice.request.get(`/docs/${slug}`)
      expect(published.status()).toBe(200)
      expect(await published.text()).not.toContain(draftMarker)
      await context.close()
    } finally {
      await mutate(request, [{ delete: { id: `drafts.${A}` } }])
    }
  })
})

test('a publish expires that page and the pages that link to it; the others stay cached', async ({ request }) => {
  const target = 'gatedPage.e2e-cache-target'
  const linker = 'gatedPage.e2e-cache-linker'
  const other = 'gatedPage.e2e-cache-other'
  const link = {
    _type: 'block',
    _key: 'l1',
    style: 'normal',
    markDefs: [{ _type: 'docLink', _key: 'm1', reference: { _type: 'reference', _ref: target, _weak: true } }],
    children: [{ _type: 'span', _key: 's1', text: 'the target', marks: ['m1'] }],
  }
  await mutate(request, [
    { createOrReplace: probe({ audience: 'public', title: 'Cache target' }, target) },
    { createOrReplace: probe({ audience: 'public', body: [link] }, linker) },
    { createOrReplace: probe({ audience: 'public' }, other) },
  ])
  try {
    await settle()
    const get = async (id: string) => request.get(`/docs/${id.replace('gatedPage.', '')}`, { maxRedirects: 0 })
    for (const id of [target, linker, other]) expect((await get(id)).status()).toBe(200)
    expect(await (await get(linker)).text()).toContain('data-link="read"')

    // The target is hidden from everyone: its page is gone, the link to it is plain text, the rest is untouched.
    await mutate(request, [{ patch: { id: target, set: { visibility: 'hidden', requiredRoles: ['e2e-nobody'], audience: 'signedIn' } } }])
    await expect.poll(async () => (await get(target)).status(), { timeout: 5_000 }).toBe(404)
    await expect.poll(async () => (await get(linker)).text(), { timeout: 5_000 }).not.toContain('data-link="read"')
    expect(await readsOf('e2e-cache-other', () => get(other)), 'an unrelated page is still served from the cache').toBe(0)
  } finally {
    await mutate(request, [{ delete: { id: target } }, { delete: { id: linker } }, { delete: { id: other } }])
  }
})

test('a publish is read on the next view, and a narrowing refuses at once', async ({ request }) => {
  // Hidden from everyone to begin with (a role nobody holds), so no other spec ever lists it.
  const hidden = { audience: 'signedIn', visibility: 'hidden', requiredRoles: ['e2e-nobody'] }
  await mutate(request, [{ createOrReplace: probe(hidden) }])
  try {
    const view = () => request.get('/docs/e2e-cache-probe', { maxRedirects: 0 })
    await expect.poll(async () => (await view()).status()).toBe(404)
    expect((await view()).status(), 'cached: still 404').toBe(404)

    // Opened to everyone: the next view after the webhook reads it.
    await mutate(request, [{ createOrReplace: probe({ audience: 'public', visibility: 'teaser', title: 'Cache probe, published' }) }])
    await expect.poll(async () => (await view()).status(), { timeout: 5_000 }).toBe(200)
    expect(await (await view()).text()).toContain('Cache probe, published')

    // An edit to the text: never the old entry once the webhook has arrived.
    await mutate(request, [{ patch: { id: PROBE, set: { title: 'Cache probe, revised' } } }])
    await expect.poll(async () => (await view()).text(), { timeout: 5_000 }).toContain('Cache probe, revised')

    // Narrowed again: the audience that just read it is refused, with nothing of the body.
    await mutate(request, [{ createOrReplace: probe(hidden) }])
    await expect.poll(async () => (await view()).status(), { timeout: 5_000 }).toBe(404)
    const refused = await (await view()).text()
    expect(refused).not.toContain('probe body')
    expect(refused).not.toContain('Cache probe, revised')
  } finally {
    await mutate(request, [{ delete: { id: PROBE } }])
  }
})

test('the home page prefetches no doc on sight; a pointer on a link prefetches it once and the click reuses it', async ({ page }) => {
  const rsc: string[] = []
  page.on('request', (req) => {
    // The route tree (`/_tree`) is static and cheap; every other RSC request renders the page.
    if (req.headers()['rsc'] === '1' && req.headers()['next-router-segment-prefetch'] !== '/_tree') rsc.push(new URL(req.url()).pathname)
  })
  await page.goto('/')
  await page.waitForLoadState('networkidle')
  await page.waitForTimeout(1_000) // viewport prefetching would have started by now
  expect(rsc, 'nothing prefetched on sight').toEqual([])

  const link = page.locator('#main-content a[href^="/docs/"]').first()
  const href = (await link.getAttribute('href'))!
  await link.hover()
  await expect.poll(() => rsc.filter((path) => path === href).length).toBe(1)
  await link.click()
  await expect(page).toHaveURL(href)
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
  expect(
    rsc.filter((path) => path === href),
    'the click used the prefetch',
  ).toHaveLength(1)
})
