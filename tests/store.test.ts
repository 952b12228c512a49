import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryStore } from '@/lib/store/memory'
import { RedisStore } from '@/lib/store/redis'
import { listLength, MAX_LIST_LENGTH, StoreUnavailable, type SharedStore } from '@/lib/store/types'
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

    it('increment counts atomically within a window that the first increment starts and no later one extends', async () => {
      const store = open(make)
      const counts = await Promise.all(Array.from({ length: 20 }, () => store.increment('hits', { ttlSeconds: 1 })))
      expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
      await new Promise((resolve) => setTimeout(resolve, 600))
      expect(await store.increment('hits', { ttlSeconds: 60 })).toBe(21)
      await new Promise((resolve) => setTimeout(resolve, 600))
      // The window began with the first increment (1 s), not the last (60 s): a new one starts at 1.
      expect(await store.increment('hits', { ttlSeconds: 1 })).toBe(1)
      expect(await store.increment('other', { ttlSeconds: 60 })).toBe(1)
    })

    it('keeps odd keys and values intact (unicode, JSON, long values)', async () => {
      const store = open(make)
      const value = JSON.stringify({ roles: ['ü', '"quoted"', '\n'], blob: 'x'.repeat(20_000) })
      await store.set('key:with:colons/and spaces/ü', value, { ttlSeconds: 60 })
      expect(await store.get('key:with:colons/and spaces/ü')).toBe(value)
    })

    // Lists (the audit trail): bounded, newest first, one atomic step per append.
    const list = { maxLength: 10, ttlSeconds: 60 }

    it('append then range: newest first, at most count items, a read in between never goes stale', async () => {
      const store = open(make)
      expect(await store.range('list', 10)).toEqual([])
      await store.append('list', 'a', list)
      expect(await store.range('list', 10)).toEqual(['a'])
      await store.append('list', 'b', list)
      expect(await store.range('list', 10)).toEqual(['b', 'a'])
      const odd = JSON.stringify({ who: 'ü "quoted"', text: 'line\nbreak', emoji: '🦆' })
      await store.append('list', odd, list)
      expect(await store.range('list', 10)).toEqual([odd, 'b', 'a'])
      expect(await store.range('list', 2)).toEqual([odd, 'b'])
      expect(await store.range('list', 2.9)).toEqual([odd, 'b'])
      expect(await store.range('list', 1)).toEqual([odd])
    })

    it('maxLength keeps the newest items and drops the oldest', async () => {
      const store = open(make)
      for (let i = 0; i < 10; i++) await store.append('trimmed', String(i), { maxLength: 3, ttlSeconds: 60 })
      expect(await store.range('trimmed', 100)).toEqual(['9', '8', '7'])
      await store.append('trimmed', '10', { maxLength: 1, ttlSeconds: 60 })
      expect(await store.range('trimmed', 100)).toEqual(['10'])
    })

    it('a maxLength that is not a whole number from 1 to MAX_LIST_LENGTH is clamped, never unbounded or empty', async () => {
      const store = open(make)
      for (const maxLength of [0, -5, 0.5, -Infinity]) {
        const key = `clamped:${maxLength}`
        await store.append(key, 'first', { maxLength, ttlSeconds: 60 })
        await store.append(key, 'second', { maxLength, ttlSeconds: 60 })
        // -Infinity is not finite: clamped to MAX_LIST_LENGTH like NaN, so both items stay.
        expect(await store.range(key, 10)).toEqual(maxLength === -Infinity ? ['second', 'first'] : ['second'])
      }
      for (const maxLength of [NaN, Infinity, 1e9, 2.7]) {
        const key = `wide:${maxLength}`
        for (const value of ['1', '2', '3']) await store.append(key, value, { maxLength, ttlSeconds: 60 })
        expect(await store.range(key, 10)).toEqual(maxLength === 2.7 ? ['3', '2'] : ['3', '2', '1'])
      }
    })

    it('range of a count that is not a positive number is empty; a huge count is the whole list', async () => {
      const store = open(make)
      for (const value of ['1', '2', '3']) await store.append('counted', value, list)
      for (const count of [0, -1, -0, 0.9, -Infinity, NaN, Infinity]) expect(await store.range('counted', count), String(count)).toEqual([])
      for (const count of [3, 4, 1e9, Number.MAX_SAFE_INTEGER, 1e300]) expect(await store.range('counted', count), String(count)).toEqual(['3', '2', '1'])
      expect(await store.range('never-appended', 1e9)).toEqual([])
    })

    it('list keys and value keys with different names do not interfere, nor do two lists', async () => {
      const store = open(make)
      await store.set('pair:value', 'v', { ttlSeconds: 60 })
      await store.append('pair:list', 'x', list)
      await store.append('pair:other', 'y', list)
      // (Reading one key as the other kind is the caller's error: Redis answers WRONGTYPE. Callers
      // give lists a key prefix of their own, e.g. the audit trail's AUDIT_LIST_KEY.)
      expect(await store.get('pair:value')).toBe('v')
      expect(await store.range('pair:list', 10)).toEqual(['x'])
      expect(await store.range('pair:other', 10)).toEqual(['y'])
      await store.delete('pair:value')
      expect(await store.range('pair:list', 10)).toEqual(['x'])
      expect(await store.set('pair:value', 'w', { ttlSeconds: 60, ifAbsent: true })).toBe(true)
    })

    it('lists expire after their TTL, and an append after that starts an empty list', async () => {
      const store = open(make)
      await store.append('short-list', 'old', { maxLength: 10, ttlSeconds: 1 })
      expect(await store.range('short-list', 10)).toEqual(['old'])
      await new Promise((resolve) => setTimeout(resolve, 1100))
      expect(await store.range('short-list', 10)).toEqual([])
      await store.append('short-list', 'new', { maxLength: 10, ttlSeconds: 60 })
      expect(await store.range('short-list', 10)).toEqual(['new'])
    })

    it('concurrent appends never leave the list longer than maxLength, and no reader sees it longer', async () => {
      const store = open(make)
      const options = { maxLength: 50, ttlSeconds: 60 }
      const reads: Promise<string[]>[] = []
      const writes = Array.from({ length: 200 }, (_, i) => {
        if (i % 10 === 0) reads.push(store.range('busy', 1000))
        return store.append('busy', `e${i}`, options)
      })
      await Promise.all(writes)
      for (const seen of await Promise.all(reads)) expect(seen.length).toBeLessThanOrEqual(50)
      const final = await store.range('busy', 1000)
      expect(final).toHaveLength(50)
      expect(new Set(final).size).toBe(50)
      for (const item of final) expect(item).toMatch(/^e\d+$/)
    })
  })
}

describe('listLength', () => {
  it('is a whole number from 1 to MAX_LIST_LENGTH, whatever it is given', () => {
    expect(listLength(0)).toBe(1)
    expect(listLength(-1)).toBe(1)
    expect(listLength(0.5)).toBe(1)
    expect(listLength(1)).toBe(1)
    expect(listLength(49.9)).toBe(49)
    expect(listLength(5000)).toBe(5000)
    expect(listLength(MAX_LIST_LENGTH)).toBe(MAX_LIST_LENGTH)
    expect(listLength(MAX_LIST_LENGTH + 1)).toBe(MAX_LIST_LENGTH)
    expect(listLength(1e9)).toBe(MAX_LIST_LENGTH)
    expect(listLength(NaN)).toBe(MAX_LIST_LENGTH)
    expect(listLength(Infinity)).toBe(MAX_LIST_LENGTH)
    expect(listLength(-Infinity)).toBeGreaterThanOrEqual(1)
    expect(listLength(-Infinity)).toBeLessThanOrEqual(MAX_LIST_LENGTH)
  })
})

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

  it('an append on one instance is in the next range on another, even after it cached the old list', async () => {
    const prefix = `xl${Math.random()}:`
    const a = open(() => new RedisStore({ url: redis.url, clientCache: true, keyPrefix: prefix }))
    const b = open(() => new RedisStore({ url: redis.url, clientCache: true, keyPrefix: prefix }))
    await a.append('trail', 'first', { maxLength: 10, ttlSeconds: 60 })
    expect(await b.range('trail', 10)).toEqual(['first'])
    await a.append('trail', 'second', { maxLength: 10, ttlSeconds: 60 })
    const started = performance.now()
    let seen: string[] = []
    do {
      await new Promise((resolve) => setImmediate(resolve))
      seen = await b.range('trail', 10)
    } while (seen.length < 2 && performance.now() - started < 1000)
    expect(seen).toEqual(['second', 'first'])
    expect(performance.now() - started).toBeLessThan(50)
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
    await expect(store.append('l', '1', { maxLength: 5, ttlSeconds: 5 })).rejects.toBeInstanceOf(StoreUnavailable)
    await expect(store.range('l', 5)).rejects.toBeInstanceOf(StoreUnavailable)
    expect(await store.range('l', 0)).toEqual([]) // nothing to ask Redis for
    expect(performance.now() - started).toBeLessThan(3000)
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

  it('past maxLists, drops the least recently appended list', async () => {
    const store = new MemoryStore(100, Date.now, 3)
    const options = { maxLength: 5, ttlSeconds: 60 }
    await store.append('a', '1', options)
    await store.append('b', '1', options)
    await store.append('c', '1', options)
    await store.append('a', '2', options) // a is now the most recently appended
    await store.append('d', '1', options)
    expect(store.listStats).toEqual({ lists: 3, items: 4 })
    expect(await store.range('b', 10)).toEqual([])
    expect(await store.range('a', 10)).toEqual(['2', '1'])
    expect(await store.range('c', 10)).toEqual(['1'])
    expect(await store.range('d', 10)).toEqual(['1'])
    // Reading a list does not make it recent: only appends do.
    await store.range('c', 10)
    await store.append('e', '1', options)
    expect(await store.range('c', 10)).toEqual([])
    for (let i = 0; i < 500; i++) await store.append(`many${i}`, 'x'.repeat(100), options)
    expect(store.listStats).toEqual({ lists: 3, items: 3 })
    await store.close()
    expect(store.listStats).toEqual({ lists: 0, items: 0 })
  })

  it('drops expired lists before evicting a live one', async () => {
    let now = 1_000_000
    const store = new MemoryStore(100, () => now, 2)
    await store.append('short', '1', { maxLength: 5, ttlSeconds: 10 })
    await store.append('long', '1', { maxLength: 5, ttlSeconds: 600 })
    now += 11_000
    await store.append('new', '1', { maxLength: 5, ttlSeconds: 600 })
    expect(store.listStats).toEqual({ lists: 2, items: 2 })
    expect(await store.range('long', 10)).toEqual(['1'])
    expect(await store.range('new', 10)).toEqual(['1'])
    await store.close()
  })

  it('a list lives ttlSeconds after its last append, not its first', async () => {
    let now = 1_000_000
    const store = new MemoryStore(100, () => now)
    await store.append('trail', '1', { maxLength: 5, ttlSeconds: 10 })
    now += 8_000
    await store.append('trail', '2', { maxLength: 5, ttlSeconds: 10 })
    now += 8_000
    expect(await store.range('trail', 10)).toEqual(['2', '1'])
    now += 2_000
    expect(await store.range('trail', 10)).toEqual([])
    expect(store.listStats).toEqual({ lists: 0, items: 0 })
    await store.close()
  })

  it('holds no more than MAX_LIST_LENGTH items in a list, whatever maxLength asks', async () => {
    const store = new MemoryStore()
    for (let i = 0; i < MAX_LIST_LENGTH + 5; i++) await store.append('huge', String(i), { maxLength: 1e9, ttlSeconds: 60 })
    expect(store.listStats).toEqual({ lists: 1, items: MAX_LIST_LENGTH })
    const newest = await store.range('huge', MAX_LIST_LENGTH * 10)
    expect(newest).toHaveLength(MAX_LIST_LENGTH)
    expect(newest[0]).toBe(String(MAX_LIST_LENGTH + 4))
    expect(newest.at(-1)).toBe('5')
    await store.close()
  })
})
