import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CacheEntry } from 'next/dist/server/lib/cache-handlers/types'
import { CLOCK_SKEW_MS, ContentCacheHandler, ENTRY_OVERHEAD_BYTES, TagManifest } from '@/lib/content/cache-handler'
import { MemoryStore } from '@/lib/store/memory'
import { StoreWriteHealth, watchWrites } from '@/lib/store/health'
import { RedisStore } from '@/lib/store/redis'
import { StoreUnavailable, type SharedStore } from '@/lib/store/types'
import { startRedisServer, type RedisServer } from './support/redis-server'

// The `'use cache'` handler (lib/content/cache-handler.ts) as Next drives it: `set` with a pending
// entry whose timestamp is when the read began, `get` with the request's implicit tags, `updateTags`
// from revalidateTag. Two handlers over one store are two instances of the app.

let redis: RedisServer
const opened: SharedStore[] = []
beforeAll(async () => {
  redis = await startRedisServer()
})
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()))
  await redis.stop()
})

const encoder = new TextEncoder()
const now = () => performance.timeOrigin + performance.now()

function entry(body: string, overrides: Partial<Omit<CacheEntry, 'value'>> & { value?: ReadableStream<Uint8Array> } = {}): CacheEntry {
  return {
    value: new ReadableStream({
      start(controller) {
        // In two chunks, as a render streams.
        controller.enqueue(encoder.encode(body.slice(0, 3)))
        controller.enqueue(encoder.encode(body.slice(3)))
        controller.close()
      },
    }),
    tags: ['gh:content', 'gh:doc:a'],
    stale: 0,
    timestamp: now(),
    revalidate: 300,
    expire: 3600,
    ...overrides,
  }
}

const failing = (afterBytes: string): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode(afterBytes))
      controller.error(new Error('Sanity did not answer'))
    },
  })

async function text(found: CacheEntry | undefined): Promise<string | undefined> {
  return found ? new Response(found.value).text() : undefined
}

const stores: [string, () => SharedStore][] = [
  ['memory', () => new MemoryStore()],
  ['redis', () => new RedisStore({ url: redis.url, clientCache: true, keyPrefix: `h${Math.random()}:` })],
]

describe.each(stores)('the content cache handler over %s', (_name, makeStore) => {
  const setup = (options: { maxBytes?: number; maxEntryBytes?: number } = {}) => {
    const store = makeStore()
    opened.push(store)
    const manifest = new TagManifest(
      () => store,
      () => 3600,
    )
    return { store, manifest, handler: new ContentCacheHandler({ manifest, ...options }) }
  }

  it('returns what was stored, as a new stream each time; a reader cannot change what the next one gets', async () => {
    const { handler } = setup()
    await handler.set('k', Promise.resolve(entry('<the page>')))
    const first = await handler.get('k', [])
    const reader = first!.value.getReader()
    const chunk = (await reader.read()).value!
    chunk.fill(0)
    expect(await text(await handler.get('k', []))).toBe('<the page>')
    expect(first).toMatchObject({ tags: ['gh:content', 'gh:doc:a'], revalidate: 300, expire: 3600 })
  })

  it('keeps keys as digests: the grants a key names are never held in plain text', async () => {
    const { handler } = setup()
    const key = '["build",["fn",{"signedIn":true,"roles":["partner_admin"],"tenant":"acme","plan":"pro","region":"eu"}]]'
    await handler.set(key, Promise.resolve(entry('x')))
    expect(await text(await handler.get(key, []))).toBe('x')
    const held = JSON.stringify([...handler['entries'].keys(), ...handler['pending'].keys()])
    for (const plain of ['partner_admin', 'acme', 'signedIn', 'roles']) expect(held).not.toContain(plain)
  })

  it('a tag expired after the read began is a miss — on this instance and on another one sharing the store', async () => {
    const { store, handler } = setup()
    const other = new ContentCacheHandler({
      manifest: new TagManifest(
        () => store,
        () => 3600,
      ),
    })
    const began = now() - 3 * CLOCK_SKEW_MS
    await handler.set('k', Promise.resolve(entry('old', { timestamp: began })))
    await other.set('k', Promise.resolve(entry('old', { timestamp: began })))
    await handler.updateTags(['gh:doc:a'])
    expect(await handler.get('k', [])).toBeUndefined()
    expect(await other.get('k', []), 'the instance the webhook never reached').toBeUndefined()
    // Dropped, not just hidden: nothing brings it back.
    expect(handler.size.entries).toBe(0)
  })

  it('a read that began before a publish and finished after it is never served', async () => {
    const { manifest, handler } = setup()
    const began = now()
    let finish!: (value: CacheEntry) => void
    const pending = handler.set('k', new Promise<CacheEntry>((resolve) => (finish = resolve)))
    await manifest.expire(['gh:doc:a'])
    finish(entry('read before the publish', { timestamp: began }))
    await pending
    expect(await handler.get('k', [])).toBeUndefined()
  })

  it('an entry begun within the clock-skew margin of an expiry counts as before it', async () => {
    const { manifest, handler } = setup()
    const at = Math.round(now())
    await manifest.expire(['gh:doc:a'], at)
    await handler.set('k', Promise.resolve(entry('maybe stale', { timestamp: at + CLOCK_SKEW_MS - 10 })))
    expect(await handler.get('k', [])).toBeUndefined()
    await handler.set('k', Promise.resolve(entry('after', { timestamp: at + CLOCK_SKEW_MS + 10 })))
    expect(await text(await handler.get('k', []))).toBe('after')
  })

  it('other tags, and expiries before the read, leave an entry alone', async () => {
    const { manifest, handler } = setup()
    await manifest.expire(['gh:doc:a'], Math.round(now()) - 10 * CLOCK_SKEW_MS)
    await handler.set('k', Promise.resolve(entry('fresh')))
    await manifest.expire(['gh:doc:b', 'gh:type:docSection'])
    expect(await text(await handler.get('k', []))).toBe('fresh')
  })

  it('the request’s implicit tags count too (revalidatePath)', async () => {
    const { manifest, handler } = setup()
    await handler.set('k', Promise.resolve(entry('page', { timestamp: now() - 3 * CLOCK_SKEW_MS })))
    await manifest.expire(['_N_T_/docs/glossary'])
    expect(await handler.getExpiration(['_N_T_/docs/glossary'])).toBeGreaterThan(0)
    expect(await handler.get('k', ['_N_T_/layout'])).toBeDefined()
    expect(await handler.get('k', ['_N_T_/docs/glossary'])).toBeUndefined()
  })

  it('an errored render is never stored and never replaces the last good entry', async () => {
    const { handler } = setup()
    await handler.set('k', Promise.resolve(entry('last good')))
    await handler.set('k', Promise.resolve(entry('', { value: failing('<half a pa') })))
    await handler.set('k', Promise.reject(new Error('the render threw')))
    expect(await text(await handler.get('k', []))).toBe('last good')
    await handler.set('fresh', Promise.resolve(entry('', { value: failing('<half') })))
    expect(await handler.get('fresh', [])).toBeUndefined()
  })

  it('past its revalidate time an entry is still handed to Next (served once while read again), until it expires', async () => {
    const { handler } = setup()
    await handler.set('stale', Promise.resolve(entry('stale', { timestamp: now() - 10_000, revalidate: 5, expire: 60 })))
    expect(await text(await handler.get('stale', []))).toBe('stale')
    await handler.set('gone', Promise.resolve(entry('gone', { timestamp: now() - 61_000, revalidate: 5, expire: 60 })))
    expect(await handler.get('gone', [])).toBeUndefined()
  })

  it('a dynamic entry (no lifetime) is not kept', async () => {
    const { handler } = setup()
    await handler.set('k', Promise.resolve(entry('dynamic', { expire: 0 })))
    await handler.set('k2', Promise.resolve(entry('dynamic', { revalidate: 0 })))
    expect(handler.size.entries).toBe(0)
  })

  it('a get during a set waits for it', async () => {
    const { handler } = setup()
    let finish!: (value: CacheEntry) => void
    const pending = handler.set('k', new Promise<CacheEntry>((resolve) => (finish = resolve)))
    const read = handler.get('k', [])
    setTimeout(() => finish(entry('arrived')), 20)
    expect(await text(await read)).toBe('arrived')
    await pending
  })

  it('memory is bounded, overhead included: the least recently used go first, and an oversized entry is not cached', async () => {
    const cost = 30 + ENTRY_OVERHEAD_BYTES
    const { handler } = setup({ maxBytes: 3 * cost + 10, maxEntryBytes: 60 })
    const body = (c: string) => c.repeat(30)
    await handler.set('a', Promise.resolve(entry(body('a'))))
    await handler.set('b', Promise.resolve(entry(body('b'))))
    await handler.set('c', Promise.resolve(entry(body('c'))))
    expect(handler.size).toEqual({ entries: 3, bytes: 3 * cost })
    await handler.get('a', [])
    await handler.set('d', Promise.resolve(entry(body('d'))))
    expect(await handler.get('b', []), 'least recently used').toBeUndefined()
    expect(await text(await handler.get('a', []))).toBe(body('a'))
    expect(handler.size.bytes).toBeLessThanOrEqual(3 * cost + 10)
    await handler.set('big', Promise.resolve(entry('x'.repeat(61))))
    expect(await handler.get('big', [])).toBeUndefined()
  })

  it('a flood of tiny entries (every one a "not found") is bounded by count, not only by bytes', async () => {
    const { handler } = setup({ maxBytes: 100 * (ENTRY_OVERHEAD_BYTES + 10) })
    for (let i = 0; i < 1000; i++) await handler.set(`/docs/random-${i}`, Promise.resolve(entry('null')))
    expect(handler.size.entries).toBeLessThanOrEqual(100)
  })

  it('a stale entry is served at once while its fill is pending (an unreachable Sanity blocks nobody)', async () => {
    const { handler } = setup()
    await handler.set('k', Promise.resolve(entry('last good', { timestamp: now() - 10_000, revalidate: 5 })))
    void handler.set('k', new Promise<CacheEntry>(() => {})) // never settles, like a hung read
    const waited = new Promise((resolve) => setTimeout(() => resolve('waited'), 500))
    expect(await Promise.race([handler.get('k', []).then(text), waited])).toBe('last good')
  })

  it('an expiry is dated by the wall clock at the latest', async () => {
    const { store, manifest } = setup()
    const before = Date.now()
    await manifest.expire(['gh:doc:clock'])
    const other = new TagManifest(
      () => store,
      () => 3600,
    )
    expect(await other.expirationOf(['gh:doc:clock'])).toBeGreaterThanOrEqual(before)
  })
})

describe('with the shared store down, the cache fails closed', () => {
  const down = (): SharedStore => {
    const store = new MemoryStore()
    store.get = () => Promise.reject(new StoreUnavailable('down'))
    store.set = () => Promise.reject(new StoreUnavailable('down'))
    return store
  }

  it('nothing is served (reads go to Sanity), implicit tags are unknown, and an expiry fails loudly', async () => {
    const healthy = new MemoryStore()
    let store: SharedStore = healthy
    const handler = new ContentCacheHandler({
      manifest: new TagManifest(
        () => store,
        () => 3600,
      ),
    })
    await handler.set('k', Promise.resolve(entry('cached')))
    expect(await handler.get('k', [])).toBeDefined()
    store = down()
    expect(await handler.get('k', [])).toBeUndefined()
    expect(await handler.getExpiration(['_N_T_/layout'])).toBe(Infinity)
    await expect(handler.updateTags(['gh:doc:a'])).rejects.toThrow(StoreUnavailable)
    // Nothing is kept while the expiries are unknown…
    await handler.set('during', Promise.resolve(entry('read during the outage')))
    expect(handler.size.entries).toBe(0)
    // …and nothing from before comes back with the store: a publish may have gone unrecorded meanwhile.
    store = healthy
    expect(await handler.get('k', [])).toBeUndefined()
    await handler.set('k', Promise.resolve(entry('after')))
    expect(await text(await handler.get('k', []))).toBe('after')
  })

  it('an unreachable Redis is the same', async () => {
    const store = new RedisStore({ url: 'redis://127.0.0.1:1', clientCache: false, timeoutMs: 300 })
    opened.push(store)
    const handler = new ContentCacheHandler({
      manifest: new TagManifest(
        () => store,
        () => 3600,
      ),
    })
    await handler.set('k', Promise.resolve(entry('cached')))
    expect(await handler.get('k', [])).toBeUndefined()
  })
})

describe('with the shared store refusing writes (Redis at maxmemory, noeviction), the cache fails closed on every instance', () => {
  const PROBE_MS = 100
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  let admin: ReturnType<typeof createClient>
  beforeAll(async () => {
    admin = createClient({ url: redis.url })
    await admin.connect()
    await admin.configSet('maxmemory-policy', 'noeviction')
  })
  afterAll(async () => {
    await admin.configSet('maxmemory', '0')
    await admin.close()
  })
  /** Redis answers every SET with OOM from now on (GET and DEL still work), or accepts writes again. */
  const refuseWrites = (refuse: boolean) => admin.configSet('maxmemory', refuse ? '1' : '0')

  /** One app instance: its own Redis connection (with client-side caching), write health and handler. */
  const instance = (prefix: string) => {
    const raw = new RedisStore({ url: redis.url, clientCache: true, keyPrefix: prefix })
    opened.push(raw)
    const health = new StoreWriteHealth(() => store, PROBE_MS)
    const store = watchWrites(raw, health)
    const manifest = new TagManifest(
      () => store,
      () => 3600,
      () => health,
    )
    return { store, health, manifest, handler: new ContentCacheHandler({ manifest, writable: () => health.writable() }) }
  }

  it('a publish whose expiry cannot be written stops the page on the instance that got it, on the others within a probe, and is written once the store recovers', async () => {
    const prefix = `w${Math.random()}:`
    const [a, b, c] = [instance(prefix), instance(prefix), instance(prefix)]
    for (const { handler } of [a, b, c]) await handler.set('k', Promise.resolve(entry('the full body, before the narrowing publish')))
    for (const { handler } of [a, b, c]) expect(await text(await handler.get('k', []))).toContain('full body')
    await sleep(PROBE_MS + 20)
    await refuseWrites(true)
    try {
      // The narrowing publish reaches A: its expiry cannot be recorded (the webhook answers 503)…
      await expect(a.handler.updateTags(['gh:doc:a'])).rejects.toThrow(/OOM|maxmemory/i)
      expect(a.manifest.owedCount).toBe(1)
      // …so A stops serving at once, and B within one probe, though B's reads still answer.
      expect(await a.handler.get('k', [])).toBeUndefined()
      expect(await b.handler.get('k', [])).toBeUndefined()
      expect(b.health.known).toBe('unwritable')
      // Nothing is kept meanwhile, and implicit tags count as expired.
      await b.handler.set('k', Promise.resolve(entry('read during the outage')))
      expect(await b.handler.get('k', [])).toBeUndefined()
      expect(await b.handler.getExpiration(['_N_T_/layout'])).toBe(Infinity)
    } finally {
      await refuseWrites(false)
    }
    // A writes what it owes by itself (no request needed), before counting the store writable again.
    await expect.poll(() => a.manifest.owedCount, { timeout: 5 * PROBE_MS }).toBe(0)
    expect(a.health.known).toBe('writable')
    // C saw no request during the outage and still holds its old entry: the owed expiry voids it.
    expect(await c.handler.get('k', [])).toBeUndefined()
    // Fresh reads are cached again everywhere.
    await sleep(CLOCK_SKEW_MS + 10)
    await b.handler.set('k', Promise.resolve(entry('after')))
    expect(await text(await b.handler.get('k', []))).toBe('after')
  }, 15_000)

  it('a write refused anywhere else in the process (a member revocation) stops the cache too', async () => {
    const { store, handler } = instance(`x${Math.random()}:`)
    await handler.set('k', Promise.resolve(entry('cached')))
    expect(await handler.get('k', [])).toBeDefined()
    await refuseWrites(true)
    try {
      await expect(store.set('member:local:abc', '{}', { ttlSeconds: 60 })).rejects.toBeInstanceOf(StoreUnavailable)
      expect(await handler.get('k', [])).toBeUndefined()
    } finally {
      await refuseWrites(false)
    }
  })
})
