import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryStore } from '@/lib/store/memory'
import { RedisStore } from '@/lib/store/redis'
import { StoreUnavailable, type SharedStore } from '@/lib/store/types'
import { startRedisServer, type RedisServer } from './support/redis-server'

// One contract, every implementation: the in-process store and Redis (a real redis-server, with and
// without client-side caching) must behave the same for everything Gatehouse keeps in them.

let redis: RedisServer
const opened: SharedStore[] = []
beforeAll(async () => {
  redis = await startRedisServer()
})
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()))
  await redis.stop()
})

const implementations: [string, () => SharedStore][] = [
  ['memory', () => new MemoryStore()],
  ['redis (client-side cache)', () => new RedisStore({ url: redis.url, clientCache: true, keyPrefix: `t${Math.random()}:` })],
  ['redis (no client cache)', () => new RedisStore({ url: redis.url, clientCache: false, keyPrefix: `t${Math.random()}:` })],
]

const open = (make: () => SharedStore) => {
  const store = make()
  opened.push(store)
  return store
}

for (const [name, make] of implementations) {
  describe(`shared store contract: ${name}`, () => {
    it('get, set, overwrite, delete', async () => {
      const store = open(make)
      expect(await store.get('a')).toBeNull()
      expect(await store.set('a', '1', { ttlSeconds: 60 })).toBe(true)
      expect(await store.get('a')).toBe('1')
      expect(await store.set('a', '2', { ttlSeconds: 60 })).toBe(true)
      expect(await store.get('a')).toBe('2')
      await store.delete('a')
      expect(await store.get('a')).toBeNull()
      await store.delete('never-there')
    })

    it('ifAbsent writes only once (SET NX)', async () => {
      const store = open(make)
      expect(await store.set('nx', 'first', { ttlSeconds: 60, ifAbsent: true })).toBe(true)
      expect(await store.set('nx', 'second', { ttlSeconds: 60, ifAbsent: true })).toBe(false)
      expect(await store.get('nx')).toBe('first')
      const racers = await Promise.all(Array.from({ length: 10 }, (_, i) => store.set('race', String(i), { ttlSeconds: 60, ifAbsent: true })))
      expect(racers.filter(Boolean)).toHaveLength(1)
    })

    it('values expire after their TTL', async () => {
      const store = open(make)
      await store.set('short', 'x', { ttlSeconds: 1 })
      expect(await store.get('short')).toBe('x')
      await new Promise((resolve) => setTimeout(resolve, 1100))
      expect(await store.get('short')).toBeNull()
      expect(await store.set('short', 'y', { ttlSeconds: 60, ifAbsent: true })).toBe(true)
    })

    it('keeps odd keys and values intact (unicode, JSON, long values)', async () => {
      const store = open(make)
      const value = JSON.stringify({ roles: ['ü', '"quoted"', '\n'], blob: 'x'.repeat(20_000) })
      await store.set('key:with:colons/and spaces/ü', value, { ttlSeconds: 60 })
      expect(await store.get('key:with:colons/and spaces/ü')).toBe(value)
    })
  })
}

describe('Redis across instances', () => {
  it('a write on one instance is what the next read on another sees, even after it cached the old value', async () => {
    const prefix = `x${Math.random()}:`
    const a = open(() => new RedisStore({ url: redis.url, clientCache: true, keyPrefix: prefix }))
    const b = open(() => new RedisStore({ url: redis.url, clientCache: true, keyPrefix: prefix }))
    await a.set('member', 'old', { ttlSeconds: 60 })
    expect(await b.get('member')).toBe('old') // b now holds it in its client-side cache
    await a.set('member', 'new', { ttlSeconds: 60 })
    // Redis pushes the invalidation to b before it acknowledges a's write. b reads it off its socket
    // at its next turn of the event loop, which any request (an HTTP round trip) gives it.
    const started = performance.now()
    let seen: string | null = null
    do {
      await new Promise((resolve) => setImmediate(resolve))
      seen = await b.get('member')
    } while (seen !== 'new' && performance.now() - started < 1000)
    expect(seen).toBe('new')
    expect(performance.now() - started).toBeLessThan(50)
    await a.delete('member')
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(await b.get('member')).toBeNull()
  })

  it('with client-side caching, warm reads make no round trip to Redis', async () => {
    const prefix = `warm${Math.random()}:`
    const store = open(() => new RedisStore({ url: redis.url, clientCache: true, keyPrefix: prefix }))
    const admin = createClient({ url: redis.url })
    await admin.connect()
    try {
      await store.set('session', 'sealed', { ttlSeconds: 60 })
      await store.get('session') // first read fills the cache
      await store.get('missing')
      const gets = async () => Number(/cmdstat_get:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0)
      const before = await gets()
      for (let i = 0; i < 100; i++) {
        expect(await store.get('session')).toBe('sealed')
        expect(await store.get('missing')).toBeNull()
      }
      expect(await gets()).toBe(before)
    } finally {
      await admin.close()
    }
  })

  it('an unreachable Redis is StoreUnavailable within the timeout, never a hang', async () => {
    const store = open(() => new RedisStore({ url: 'redis://127.0.0.1:1', clientCache: false, timeoutMs: 300 }))
    const started = performance.now()
    await expect(store.get('x')).rejects.toBeInstanceOf(StoreUnavailable)
    await expect(store.set('x', '1', { ttlSeconds: 5 })).rejects.toBeInstanceOf(StoreUnavailable)
    expect(performance.now() - started).toBeLessThan(2000)
  })
})

describe('memory store bounds', () => {
  it('never grows past its limit, dropping the oldest entries first', async () => {
    const store = new MemoryStore(100)
    for (let i = 0; i < 1000; i++) await store.set(`k${i}`, 'v', { ttlSeconds: 60 })
    expect(store.size).toBeLessThanOrEqual(100)
    expect(await store.get('k999')).toBe('v')
    expect(await store.get('k0')).toBeNull()
    await store.close()
  })
})
