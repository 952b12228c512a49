import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { pickGrants, type Grants } from '@/lib/access/dimensions'
import type { Audience } from '@/lib/auth/dal'
import { accessMatrix, expectedOutcome, loadSeed, readers, type Reader } from './access-matrix'
import { leaksIn } from './leaks'
import { nextCache } from './support/next-cache'
import { viewerOf } from './support/seed-readers'
import { inFunctionsRuntime, startSyncEnv, type SyncEnv } from './support/sync-env'

// The content cache's tags and the `content` sync target that expires them, in both sync runtimes
// (vitest.config.ts). Vitest does not compile `'use cache'`, so the cached reader functions run here as
// plain functions and record what they would tell Next (tests/support/next-cache.ts); that is enough
// to prove the contract between them and the webhook: every entry is tagged so that a publish of any
// document it was built from expires it, and the webhook writes those expiries to the shared store
// every instance reads. How Next and the handler use keys and tags: tests/cache-handler.test.ts and,
// on a production build, e2e/caching.spec.ts.

let env: SyncEnv
let docs: typeof import('@/lib/content/docs')
let cache: typeof import('@/lib/content/cache')
let handler: typeof import('@/lib/content/cache-handler')

beforeAll(async () => {
  env = await startSyncEnv('content', {})
  docs = await import('@/lib/content/docs')
  cache = await import('@/lib/content/cache')
  handler = await import('@/lib/content/cache-handler')
})
afterAll(async () => {
  await env.close()
})
beforeEach(() => {
  nextCache.reset()
})

const audienceOf = (reader: Reader, overrides: Partial<Audience> = {}): Audience => {
  const viewer = viewerOf(reader)
  return { viewer, isEditor: false, preview: null, drafts: false, reader: viewer && pickGrants(viewer), ...overrides }
}
const withGrants = (reader: Reader, grants: Partial<Grants>): Audience => {
  const audience = audienceOf(reader)
  return { ...audience, reader: { ...audience.reader!, ...grants } }
}

/** The tags of the one entry `read` made (it must make exactly one). */
async function tagsOf(read: () => Promise<unknown>): Promise<string[]> {
  nextCache.reset()
  await read()
  expect(nextCache.tags, 'one cached function ran').toHaveLength(1)
  return nextCache.tags[0]!
}

/**
 * The entries `readDoc` made: the audience's page tree (the negative cache: a slug not in it is a 404
 * without a query of its own) and, for a slug in it, the doc's own.
 */
async function docReadTags(read: () => Promise<unknown>): Promise<{ nav: string[]; doc: string[] | null }> {
  nextCache.reset()
  await read()
  const [nav, doc, ...rest] = nextCache.tags
  expect(rest, 'at most two cached functions ran').toEqual([])
  expect(nav, 'the page tree').toEqual(expect.arrayContaining([cache.typeTag('gatedPage'), cache.typeTag('docSection')]))
  return { nav: nav!, doc: doc ?? null }
}

let revision = 0
/**
 * A publish of `id` delivered to the content target as Sanity would; the tags it expired. A new
 * revision each time (a field no query reads), as a real publish makes: a Sanity Function's hand-off
 * is de-duplicated by revision.
 */
async function publish(id: string, type: string, operation: 'create' | 'update' | 'delete' = 'update'): Promise<string[]> {
  if (operation !== 'delete') await env.mutate([{ patch: { id, set: { testRevision: ++revision } } }])
  nextCache.reset()
  const response = await env.deliver({ _id: id, _type: type }, { operation })
  expect(response.status, await response.clone().text()).toBe(200)
  return nextCache.revalidated.map(([tag]) => tag)
}

const expiredAt = (tags: string[]) => handler.contentTagManifest().expirationOf(tags)

/** Every gatedPage id a seed document points to (links in its body, at any depth; its parent). */
function referencedPages(doc: Record<string, unknown>): Set<string> {
  const found = new Set<string>()
  JSON.stringify(doc, (key, value: unknown) => {
    if (key === '_ref' && typeof value === 'string' && value.startsWith('gatedPage.')) found.add(value)
    return value
  })
  return found
}

describe('cache keys: the audience, never the person', () => {
  it('readers holding the same grants have one key; who they are and the order of their roles are not part of it', () => {
    const alice = audienceOf('alice')
    const twin: Audience = {
      ...alice,
      viewer: { ...alice.viewer!, subject: 'someone-else', email: 'else@example.com', name: 'Else' },
      reader: { ...alice.reader!, roles: [...alice.reader!.roles].reverse() },
    }
    expect(cache.cacheKeyOf(twin)).toEqual(cache.cacheKeyOf(alice))
    expect(JSON.stringify(cache.cacheKeyOf(alice))).not.toMatch(/alice|@/)
  })

  it('any difference in grants is another key: a revoked role, another tenant, plan or region, signed out', () => {
    const alice = audienceOf('alice')
    const keys = [
      alice,
      withGrants('alice', { roles: [] }),
      withGrants('alice', { tenant: 'globex' }),
      withGrants('alice', { plan: 'free' }),
      withGrants('alice', { region: 'us' }),
      audienceOf('anon'),
      // Signed in holding nothing is not signed out (the `signedIn` rule clause differs).
      withGrants('mallory', { roles: [], tenant: null, plan: null, region: null }),
    ].map((audience) => JSON.stringify(cache.cacheKeyOf(audience)))
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('drafts and preview-as have no key: they never read or write the shared cache', () => {
    const alice = audienceOf('alice')
    expect(cache.cacheKeyOf({ ...alice, drafts: true })).toBeNull()
    expect(cache.cacheKeyOf({ ...alice, isEditor: true, preview: { anonymous: false, ...alice.reader! }, drafts: true })).toBeNull()
    expect(cache.cacheKeyOf({ ...alice, isEditor: true, preview: { anonymous: true, ...alice.reader! }, drafts: false })).toBeNull()
  })

  it('a reader whose grants narrow (a revocation) reads under their new key, never their old entry', async () => {
    expect((await docs.readDoc(audienceOf('alice'), 'partner-onboarding')).kind).toBe('read')
    const revoked = withGrants('alice', { roles: audienceOf('alice').reader!.roles.filter((r) => r !== 'partner_admin') })
    expect(cache.cacheKeyOf(revoked)).not.toEqual(cache.cacheKeyOf(audienceOf('alice')))
    const decision = await docs.readDoc(revoked, 'partner-onboarding')
    expect(decision.kind).toBe('forbidden')
    expect(JSON.stringify(decision)).not.toContain('"body":[')
  })
})

describe('entries carry the tags a publish expires', () => {
  const seed = loadSeed()
  const pages = seed.filter((d) => d._type === 'gatedPage')
  /** What a publish of each page expires, delivered once each (no document changes). */
  const expiredBy = new Map<string, string[]>()
  beforeAll(async () => {
    for (const page of pages) expiredBy.set(page._id, await publish(page._id, 'gatedPage'))
  }, 60_000)

  it('every page view, for every reader, is expired by a publish of the page or of any page it links to', async () => {
    const slugs = new Map(pages.map((p) => [(p.slug as { current: string }).current, p]))
    expect(Object.keys(accessMatrix).every((slug) => slugs.has(slug))).toBe(true)
    for (const reader of readers) {
      for (const [slug, page] of slugs) {
        const { nav, doc } = await docReadTags(() => docs.readDoc(audienceOf(reader), slug))
        const tags = [...nav, ...(doc ?? [])]
        const outcome = expectedOutcome(slug, reader)
        // Hidden from this reader: answered from the page tree alone, exactly like a slug that does
        // not exist — nothing of the page is in any entry, not even its tag.
        if (outcome === 'notFound') expect(doc, `${reader} × ${slug}`).toBeNull()
        else {
          // Its own entry: the slug's tag (a publish of whatever page has that slug expires it) and the
          // page's — and only those: another page's publish need not expire it.
          expect(doc, `${reader} × ${slug}`).toContain(cache.slugTag(slug))
          expect(doc, `${reader} × ${slug}`).toContain(cache.docTag(page._id))
          expect(doc, `${reader} × ${slug}`).not.toContain(cache.typeTag('gatedPage'))
        }
        // A page the reader can know of depends on the pages it links to (their state in its body);
        // "not found" depends on the page with that slug alone.
        for (const dependency of [page._id, ...(outcome === 'notFound' ? [] : referencedPages(page))]) {
          const expired = expiredBy.get(dependency) ?? []
          expect(
            tags.some((tag) => expired.includes(tag)),
            `${reader} × ${slug}: a publish of ${dependency} must expire this entry`,
          ).toBe(true)
        }
      }
    }
  }, 120_000)

  it('the page tree and the sitemap are expired by any page or section publish; teasers by each of their docs', async () => {
    for (const reader of ['anon', 'carol'] as const) {
      const nav = await tagsOf(() => docs.readNav(audienceOf(reader)))
      expect(nav).toEqual(expect.arrayContaining([cache.CONTENT_TAG, cache.typeTag('gatedPage'), cache.typeTag('docSection')]))
    }
    expect(await publish('docSection.guides', 'docSection')).toContain(cache.typeTag('docSection'))
    expect(await tagsOf(() => docs.getPublicDocs())).toEqual(expect.arrayContaining([cache.typeTag('gatedPage'), cache.typeTag('docSection')]))
    const ids = ['gatedPage.glossary', 'gatedPage.partner-onboarding']
    const teasers = await tagsOf(() => docs.getTeasers(ids, audienceOf('bob')))
    for (const id of ids) expect(teasers).toContain(cache.docTag(id))
  })

  it('each entry lives CONTENT_CACHE_SECONDS fresh, then up to CONTENT_STALE_SECONDS while read again; never on the client', async () => {
    await docs.readNav(audienceOf('bob'))
    expect(nextCache.lives).toEqual([{ stale: 0, revalidate: 300, expire: 300 + 86_400 }])
  })

  it('tags name documents by digest: no id, slug, grant or person in any of them', async () => {
    const all = new Set<string>()
    for (const reader of readers) {
      nextCache.reset()
      await docs.readNav(audienceOf(reader))
      await docs.readDoc(audienceOf(reader), 'acme-runbook')
      await docs.getTeasers(['gatedPage.acme-runbook'], audienceOf(reader))
      for (const tags of nextCache.tags) for (const tag of tags) all.add(tag)
    }
    for (const tag of all) expect(tag).toMatch(/^gh:(content|type:[a-zA-Z]+|(doc|slug):[\w-]{22})$/)
    const text = [...all].join(' ')
    for (const plain of ['acme', 'runbook', 'partner_admin', 'enterprise', 'alice', 'carol']) expect(text).not.toContain(plain)
  })
})

describe('drafts and preview-as never reach the shared cache', () => {
  const draftTitle = 'Partner onboarding (DRAFT-ONLY-MARKER)'
  beforeAll(async () => {
    const seeded = loadSeed().find((d) => d._id === 'gatedPage.partner-onboarding')!
    await env.mutate([{ createOrReplace: { ...seeded, _id: 'drafts.gatedPage.partner-onboarding', title: draftTitle } }])
  })
  afterAll(async () => {
    await env.mutate([{ delete: { id: 'drafts.gatedPage.partner-onboarding' } }])
  })

  it('a preview and draft mode read the draft through no cached function; the published read never shows it', async () => {
    const alice = audienceOf('alice')
    const title = async (audience: Audience) => {
      const decision = await docs.readDoc(audience, 'partner-onboarding')
      return decision.kind === 'read' ? decision.doc.title : decision.kind
    }
    const preview: Audience = { ...alice, isEditor: true, preview: { anonymous: false, ...alice.reader! }, drafts: true }
    const draftMode: Audience = { ...alice, isEditor: true, drafts: true }
    for (const audience of [preview, draftMode]) {
      nextCache.reset()
      expect(await title(audience)).toBe(draftTitle)
      await docs.readNav(audience)
      await docs.getTeasers(['gatedPage.partner-onboarding'], audience)
      expect(nextCache.tags, 'no cached function ran').toEqual([])
    }
    nextCache.reset()
    expect(await title(alice)).not.toContain('DRAFT-ONLY-MARKER')
    // The published read: the page tree (the negative cache) and the doc.
    expect(nextCache.tags).toHaveLength(2)
  })
})

describe('the content webhook expires, on every instance, what a publish changed', () => {
  const id = 'gatedPage.partner-onboarding'

  it('a page publish expires its own tag, its type’s, and the pages that link to it — read from Sanity, now', async () => {
    const linking = loadSeed().filter((d) => d._type === 'gatedPage' && referencedPages(d).has('gatedPage.enterprise-sso'))
    expect(linking.length).toBeGreaterThan(0)
    const before = Date.now()
    const expired = await publish('gatedPage.enterprise-sso', 'gatedPage')
    expect(expired).toEqual(
      expect.arrayContaining([cache.docTag('gatedPage.enterprise-sso'), cache.typeTag('gatedPage'), ...linking.map((d) => cache.docTag(d._id))]),
    )
    // Hard expiry, never stale-while-revalidate.
    expect(nextCache.revalidated.every(([, profile]) => JSON.stringify(profile) === '{"expire":0}')).toBe(true)
    // In the shared store, which every instance's handler reads.
    expect(await expiredAt([cache.docTag('gatedPage.enterprise-sso')])).toBeGreaterThanOrEqual(before)
    for (const doc of linking) expect(await expiredAt([cache.docTag(doc._id)])).toBeGreaterThanOrEqual(before)
    // A page that does not link to it is left alone.
    const unrelated = loadSeed().find((d) => d._type === 'gatedPage' && d._id !== 'gatedPage.enterprise-sso' && !linking.includes(d))!
    expect(expired).not.toContain(cache.docTag(unrelated._id))
  })

  it('a link added since the last publish is found: referrers come from Sanity, not from memory', async () => {
    const page = loadSeed().find((d) => d._id === 'gatedPage.glossary')!
    const link = { _type: 'block', _key: 'l1', style: 'normal', children: [{ _type: 'span', _key: 's', text: 'see', marks: ['m1'] }] }
    const body = [...(page.body as unknown[]), { ...link, markDefs: [{ _type: 'docLink', _key: 'm1', reference: { _type: 'reference', _ref: id } }] }]
    await env.mutate([{ createOrReplace: { ...page, body } }])
    try {
      expect(await publish(id, 'gatedPage')).toContain(cache.docTag('gatedPage.glossary'))
    } finally {
      await env.restore('gatedPage.glossary')
    }
  })

  it('a delete expires the same, even for a page this target never saw published', async () => {
    const linking = loadSeed().filter((d) => d._type === 'gatedPage' && referencedPages(d).has('gatedPage.admin-guide'))
    await env.remove('gatedPage.admin-guide')
    try {
      const expired = await publish('gatedPage.admin-guide', 'gatedPage', 'delete')
      expect(expired).toEqual(
        expect.arrayContaining([cache.docTag('gatedPage.admin-guide'), cache.typeTag('gatedPage'), ...linking.map((d) => cache.docTag(d._id))]),
      )
    } finally {
      await env.restore('gatedPage.admin-guide')
    }
  })

  it('a page created with a slug, or given one, expires what that slug resolved to — a duplicate slug included', async () => {
    const slug = 'e2e-fresh-slug'
    const seeded = loadSeed().find((d) => d._id === 'gatedPage.glossary')!
    // Nobody may see it yet: "not found" comes from the audience's page tree, no entry of its own.
    const missing = await docReadTags(() => docs.readDoc(audienceOf('carol'), slug))
    expect(missing.doc).toBeNull()
    await env.mutate([{ createOrReplace: { ...seeded, _id: 'gatedPage.fresh', slug: { _type: 'slug', current: slug } } }])
    try {
      const created = await publish('gatedPage.fresh', 'gatedPage', 'create')
      expect(created).toContain(cache.slugTag(slug))
      // The page tree that answered "not found" is expired by that publish: the new doc is found at once.
      expect(missing.nav.some((tag) => created.includes(tag))).toBe(true)
      // A second page given the same slug (API writes skip Studio validation): its publish expires
      // the entries that resolved the slug to the first.
      const { doc: found } = await docReadTags(() => docs.readDoc(audienceOf('carol'), slug))
      expect(found).not.toBeNull()
      await env.mutate([{ createOrReplace: { ...seeded, _id: 'gatedPage.fresh-twin', slug: { _type: 'slug', current: slug } } }])
      const expired = await publish('gatedPage.fresh-twin', 'gatedPage', 'create')
      expect(found!.some((tag) => expired.includes(tag))).toBe(true)
    } finally {
      await env.mutate([{ delete: { id: 'gatedPage.fresh' } }, { delete: { id: 'gatedPage.fresh-twin' } }])
    }
  })

  it('a page linked from more pages than an entry has tags for expires every entry', async () => {
    const { MAX_REFERRERS } = await import('@/lib/sync/targets/content')
    const many = Array.from({ length: MAX_REFERRERS + 1 }, (_, i) => ({
      _id: `gatedPage.linker-${i}`,
      _type: 'gatedPage',
      title: `Linker ${i}`,
      slug: { _type: 'slug', current: `linker-${i}` },
      body: [
        { _type: 'block', _key: 'b', markDefs: [{ _type: 'docLink', _key: 'm', reference: { _type: 'reference', _ref: id, _weak: true } }], children: [] },
      ],
    }))
    await env.mutate(many.map((doc) => ({ createOrReplace: doc })))
    try {
      expect(await publish(id, 'gatedPage')).toContain(cache.CONTENT_TAG)
    } finally {
      await env.mutate(many.map((doc) => ({ delete: { id: doc._id } })))
    }
  })

  it('sections, roles, plans and organizations expire their own and their type’s tags', async () => {
    for (const [docId, type] of [
      ['docSection.guides', 'docSection'],
      ['accessRole.partner_admin', 'accessRole'],
      ['accessPlan.pro', 'accessPlan'],
      ['organizationProfile.acme', 'organizationProfile'],
    ] as const) {
      expect(await publish(docId, type), type).toEqual(expect.arrayContaining([cache.docTag(docId), cache.typeTag(type)]))
    }
  })

  it('a narrowing publish expires the page before Sanity is read: a slow Sanity answers 503 but cannot delay it', async () => {
    // The publish is in Sanity; then every read takes longer than the client's timeout (2 s).
    await env.mutate([{ patch: { id, set: { testRevision: ++revision } } }])
    const before = Date.now()
    await setLatency(3000)
    let response: Response
    try {
      nextCache.reset()
      response = await env.deliver({ _id: id, _type: 'gatedPage' })
    } finally {
      await setLatency(0)
    }
    // Sanity retries the delivery later for the rest (referrers, the slug)...
    expect(response.status).toBe(503)
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
    // ...but the page itself and the lists of its type were expired on every instance first.
    expect(await expiredAt([cache.docTag(id)])).toBeGreaterThanOrEqual(before)
    expect(await expiredAt([cache.typeTag('gatedPage')])).toBeGreaterThanOrEqual(before)
    expect(nextCache.revalidated.map(([tag]) => tag)).toEqual(expect.arrayContaining([cache.docTag(id), cache.typeTag('gatedPage')]))
  }, 20_000)

  it('with the store refusing writes, the expiry is attempted before anything else, owed, and written once writes succeed', async () => {
    const { sharedStore } = await import('@/lib/store')
    const { StoreUnavailable } = await import('@/lib/store/types')
    const manifest = handler.contentTagManifest()
    await env.mutate([{ patch: { id, set: { testRevision: ++revision } } }])
    // Redis at maxmemory: every SET refused (the delivery's claim included), reads answered.
    const set = vi
      .spyOn(sharedStore(), 'set')
      .mockRejectedValue(new StoreUnavailable("Redis SET failed: OOM command not allowed when used memory > 'maxmemory'."))
    let response: Response
    try {
      response = await env.deliver({ _id: id, _type: 'gatedPage' })
      expect(response.status).toBe(503)
      expect(manifest.owedCount).toBeGreaterThanOrEqual(2)
    } finally {
      set.mockRestore()
    }
    const recovered = Date.now()
    // No request needed: the store's write health probes again by itself and writes what is owed.
    await expect.poll(() => manifest.owedCount, { timeout: 5_000 }).toBe(0)
    expect(await expiredAt([cache.docTag(id)])).toBeGreaterThanOrEqual(recovered)
    expect(await expiredAt([cache.typeTag('gatedPage')])).toBeGreaterThanOrEqual(recovered)
  }, 15_000)

  it('a replayed or out-of-order delivery only expires the same tags again', async () => {
    const first = await publish(id, 'gatedPage')
    const again = await publish(id, 'gatedPage', 'create')
    expect(new Set(again)).toEqual(new Set(first))
  })

  it('a type it does not sync, and a draft, expire nothing', async () => {
    nextCache.reset()
    // Refused (webhook runtime: 400), or never invoked (functions: outside the blueprint's filter).
    const member = await env.deliver({ _id: 'memberProfile.dave', _type: 'memberProfile' })
    expect([400, 204]).toContain(member.status)
    const draft = await env.deliver({ _id: `drafts.${id}`, _type: 'gatedPage' })
    expect(draft.status).toBeLessThan(300)
    expect(nextCache.revalidated).toEqual([])
  })

  it.skipIf(inFunctionsRuntime)('a forged, unsigned or stale-signed delivery expires nothing', async () => {
    const tag = cache.docTag('gatedPage.glossary')
    const before = await expiredAt([tag])
    for (const options of [
      { secret: 'not-the-secret-0123456789' },
      { signature: null },
      { signature: 't=1,v1=AAAA' },
      { timestamp: Date.now() - 3_600_000 },
      { rawBody: '{"_id": "gatedPage.glossary", "_type": "gatedPage"' },
    ]) {
      nextCache.reset()
      const response = await env.deliver({ _id: 'gatedPage.glossary', _type: 'gatedPage' }, options)
      expect(response.status, JSON.stringify(options)).toBeGreaterThanOrEqual(400)
      expect(response.status, JSON.stringify(options)).toBeLessThan(500)
      expect(nextCache.revalidated).toEqual([])
    }
    expect(await expiredAt([tag])).toBe(before)
  })

  it.skipIf(inFunctionsRuntime)('a store that cannot record the expiry fails the delivery (Sanity retries), never a silent 200', async () => {
    const { sharedStore } = await import('@/lib/store')
    const { StoreUnavailable } = await import('@/lib/store/types')
    const store = sharedStore()
    const original = store.set.bind(store)
    const spy = vi.spyOn(store, 'set').mockImplementation(async (key, value, options) => {
      if (key.startsWith('content-tag:')) throw new StoreUnavailable('down')
      return original(key, value, options)
    })
    try {
      const response = await env.deliver({ _id: 'gatedPage.glossary', _type: 'gatedPage' })
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe('5')
    } finally {
      spy.mockRestore()
    }
  })
})

describe('every reader gets exactly their own decision', () => {
  it('for every cell of the matrix, twice, with nothing of a doc hidden from them', async () => {
    for (const order of [readers, [...readers].reverse()]) {
      for (const reader of order) {
        for (const slug of Object.keys(accessMatrix)) {
          const decision = await docs.readDoc(audienceOf(reader), slug)
          expect(decision.kind, `${reader} × ${slug}`).toBe(expectedOutcome(slug, reader))
          expect(leaksIn(JSON.stringify(decision), reader), `${reader} × ${slug}`).toEqual([])
        }
        expect(leaksIn(JSON.stringify(await docs.readNav(audienceOf(reader))), reader), reader).toEqual([])
      }
    }
  }, 120_000)
})

describe('the Sanity read path is bounded', () => {
  it('a Sanity that does not answer fails the read after one retry at most, not five', async () => {
    await setLatency(5000)
    try {
      const before = env.lake.stats.queries
      const started = Date.now()
      await expect(docs.readDoc({ ...audienceOf('bob'), drafts: true }, 'glossary')).rejects.toThrow(/timed out|timeout/i)
      const sent = env.lake.stats.queries - before
      // A GET is retried once; a long query goes as a POST, which the client does not retry after a timeout.
      expect(sent).toBeGreaterThanOrEqual(1)
      expect(sent).toBeLessThanOrEqual(2)
      expect(Date.now() - started).toBeLessThan(6_000)
    } finally {
      await setLatency(0)
    }
  }, 15_000)
})

async function setLatency(ms: number) {
  const response = await fetch(`${env.lake.url}/__lake/latency`, {
    method: 'PUT',
    headers: { authorization: 'Bearer write-token', 'content-type': 'application/json' },
    body: JSON.stringify({ ms }),
  })
  expect(response.status).toBe(200)
}
