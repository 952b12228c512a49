import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig, RATE_LIMIT_DEFAULTS } from '@/lib/config'
import { clientOf } from '@/lib/ratelimit'
import { CLIENT_ADDRESS_HEADER, clientAddress, normalizeAddress, UNKNOWN_CLIENT } from '@/lib/ratelimit/client'
import { consume, consumeAndFlag, isBlocked, requesterKey, type Requester } from '@/lib/ratelimit/limiter'
import { MemoryStore } from '@/lib/store/memory'
import { RedisStore } from '@/lib/store/redis'
import { StoreUnavailable, type SharedStore } from '@/lib/store/types'
import { startRedisServer, type RedisServer } from './support/redis-server'

// The rate limiter (lib/ratelimit): fixed windows counted in the shared store, keyed by a hash of the
// reader or of the client's address, against a real Redis shared by two "instances".

let redis: RedisServer
const opened: SharedStore[] = []
beforeAll(async () => {
  redis = await startRedisServer()
})
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()))
  await redis.stop()
})
const redisStore = (prefix: string) => {
  const store = new RedisStore({ url: redis.url, clientCache: true, keyPrefix: prefix })
  opened.push(store)
  return store
}

const client = (address: string): Requester => ({ kind: 'client', address })
const alice: Requester = { kind: 'reader', provider: 'oidc', subject: 'alice-subject' }
/** A clock at `t` seconds. */
const at = (t: number) => () => t * 1000

describe('client addresses', () => {
  it('takes the hops-th entry from the right of the trusted header: what a client prepends is never used', () => {
    const headers = new Headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7' })
    expect(clientAddress(headers, { header: 'x-forwarded-for', hops: 1 })).toBe('203.0.113.7')
    expect(clientAddress(headers, { header: 'x-forwarded-for', hops: 2 })).toBe('6.6.6.6')
    expect(clientAddress(headers, { header: 'x-forwarded-for', hops: 3 })).toBe(UNKNOWN_CLIENT)
    expect(clientAddress(headers, { header: 'x-real-ip', hops: 1 })).toBe(UNKNOWN_CLIENT)
    expect(clientAddress(new Headers({ 'x-real-ip': '198.51.100.2' }), { header: 'x-real-ip', hops: 1 })).toBe('198.51.100.2')
  })

  it('normalises odd spellings of one address to one bucket', () => {
    expect(normalizeAddress(' 203.0.113.7 ')).toBe('203.0.113.7')
    expect(normalizeAddress('203.0.113.7:51234')).toBe('203.0.113.7')
    expect(normalizeAddress('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(normalizeAddress('[::ffff:cb00:7107]:443')).toBe('203.0.113.7')
    // One /64: every address of a customer's line is one client.
    const a = normalizeAddress('2001:db8:1:2::1')
    expect(a).toBe('2001:db8:1:2::/64')
    expect(normalizeAddress('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe(a)
    expect(normalizeAddress('[2001:db8:1:2::99]:8080')).toBe(a)
    expect(normalizeAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(normalizeAddress('2001:db8:1:3::1')).not.toBe(a)
  })

  it('anything that is not an address shares one bucket, however long or oddly encoded', () => {
    for (const hostile of ['', 'localhost', '203.0.113.7.1', '999.1.1.1', '%31%32%37.0.0.1', '1.2.3.4\u0000', '::g', 'x'.repeat(100_000), '\u202e1.1.1.1'])
      expect(normalizeAddress(hostile)).toBe(UNKNOWN_CLIENT)
    // A huge header is cut from the left: the proxy's entry at the right end still counts.
    const headers = new Headers({ 'x-forwarded-for': `${'9.9.9.9,'.repeat(50_000)}203.0.113.7` })
    expect(clientAddress(headers, { header: 'x-forwarded-for', hops: 1 })).toBe('203.0.113.7')
  })
})

describe('the address proxy.ts resolved', () => {
  it('is the one pages and routes count (proxy.ts overwrites whatever a client sent in its place)', () => {
    const forwarded = new Headers({ [CLIENT_ADDRESS_HEADER]: '2001:db8:1:2::/64', 'x-forwarded-for': '203.0.113.7' })
    expect(clientOf(forwarded)).toEqual({ kind: 'client', address: '2001:db8:1:2::/64' })
    expect(clientOf(new Headers({ 'x-forwarded-for': '203.0.113.7' }))).toEqual({ kind: 'client', address: '203.0.113.7' })
  })
})

describe('keys', () => {
  it('hash the reader (provider and subject apart) and the address: fixed shape, nothing in clear', () => {
    const key = requesterKey(alice)
    expect(key).toMatch(/^r:[A-Za-z0-9_-]{32}$/)
    expect(key).not.toContain('alice')
    expect(requesterKey({ kind: 'reader', provider: 'oidc', subject: 'x'.repeat(1_000_000) })).toMatch(/^r:[A-Za-z0-9_-]{32}$/)
    // Provider and subject are separated: ("oidc", "a:b") and ("oidc:a", "b") are different readers.
    expect(requesterKey({ kind: 'reader', provider: 'oidc', subject: 'ab' })).not.toBe(requesterKey({ kind: 'reader', provider: 'oidca', subject: 'b' }))
    // The same person through another provider is another reader; a reader is never an address.
    expect(requesterKey({ ...alice, provider: 'okta' } as Requester)).not.toBe(key)
    expect(requesterKey(client('203.0.113.7'))).toMatch(/^c:[A-Za-z0-9_-]{32}$/)
    expect(requesterKey(client('alice-subject'))).not.toBe(key.replace(/^r/, 'c'))
  })
})

const implementations: [string, () => SharedStore][] = [
  ['memory', () => new MemoryStore()],
  ['redis', () => redisStore(`rl${Math.random()}:`)],
]

for (const [name, make] of implementations) {
  describe(`fixed windows (${name})`, () => {
    it('allows the budget, refuses the next with the seconds to the window’s end, and opens again in the next window', async () => {
      const store = make()
      const window = { seconds: 60, now: at(6_000_015) } // 15 s into a window
      for (let i = 1; i <= 3; i++) expect(await consume(store, 'search', alice, 3, window)).toMatchObject({ allowed: true, count: i })
      expect(await consume(store, 'search', alice, 3, window)).toEqual({ allowed: false, count: 4, limit: 3, retryAfterSeconds: 45 })
      // Refused requests count too: hammering does not reopen the window.
      expect((await consume(store, 'search', alice, 3, { seconds: 60, now: at(6_000_059.5) })).retryAfterSeconds).toBe(1)
      expect(await consume(store, 'search', alice, 3, { seconds: 60, now: at(6_000_060) })).toMatchObject({ allowed: true, count: 1 })
    })

    it('keeps surfaces and requesters apart', async () => {
      const store = make()
      const window = { seconds: 60, now: at(1_200) }
      expect((await consume(store, 'search', alice, 1, window)).allowed).toBe(true)
      expect((await consume(store, 'search', alice, 1, window)).allowed).toBe(false)
      expect((await consume(store, 'md', alice, 1, window)).allowed).toBe(true)
      expect((await consume(store, 'search', client('203.0.113.7'), 1, window)).allowed).toBe(true)
      expect((await consume(store, 'search', { ...alice, subject: 'bob' }, 1, window)).allowed).toBe(true)
    })

    it('counts a batch’s cost in one go; a limit of 0 counts nothing', async () => {
      const store = make()
      const window = { seconds: 60, now: at(2_400) }
      expect(await consume(store, 'mcpToolCalls', alice, 5, window, 4)).toMatchObject({ allowed: true, count: 4 })
      expect(await consume(store, 'mcpToolCalls', alice, 5, window, 2)).toMatchObject({ allowed: false, count: 6 })
      expect(await consume(store, 'llmsFull', alice, 0, window)).toMatchObject({ allowed: true, count: 0 })
    })

    it('a spent 404 budget is flagged for the rest of the window', async () => {
      const store = make()
      const window = { seconds: 60, now: at(3_000) }
      const who = client('198.51.100.9')
      expect(await isBlocked(store, 'notFound', who, 2, window)).toBeNull()
      await consumeAndFlag(store, 'notFound', who, 2, window)
      await consumeAndFlag(store, 'notFound', who, 2, window)
      expect(await isBlocked(store, 'notFound', who, 2, window)).toBeNull()
      await consumeAndFlag(store, 'notFound', who, 2, window)
      expect(await isBlocked(store, 'notFound', who, 2, window)).toMatchObject({ allowed: false, retryAfterSeconds: 60 })
      expect(await isBlocked(store, 'notFound', client('198.51.100.10'), 2, window)).toBeNull()
      expect(await isBlocked(store, 'notFound', who, 2, { seconds: 60, now: at(3_060) })).toBeNull()
    })
  })
}

describe('across instances', () => {
  it('two instances on one Redis share one budget, also when they count at once', async () => {
    const prefix = `rl-cluster${Math.random()}:`
    const [a, b] = [redisStore(prefix), redisStore(prefix)]
    const window = { seconds: 60, now: at(9_000) }
    for (let i = 0; i < 6; i++) expect((await consume(a, 'search', alice, 10, window)).allowed).toBe(true)
    for (let i = 0; i < 4; i++) expect((await consume(b, 'search', alice, 10, window)).allowed).toBe(true)
    expect((await consume(a, 'search', alice, 10, window)).allowed).toBe(false)
    expect((await consume(b, 'search', alice, 10, window)).allowed).toBe(false)
    // 40 concurrent requests of another reader, 20 per instance, against a budget of 25: exactly 25 pass.
    const bob: Requester = { kind: 'reader', provider: 'oidc', subject: 'bob' }
    const verdicts = await Promise.all(Array.from({ length: 40 }, (_, i) => consume(i % 2 ? a : b, 'search', bob, 25, window)))
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(25)
  })
})

/** A shared store that is down: every call fails as RedisStore's do. */
class DownStore extends MemoryStore {
  override async increment(): Promise<number> {
    throw new StoreUnavailable('Redis INCR failed: connection refused')
  }
  override async get(): Promise<string | null> {
    throw new StoreUnavailable('Redis GET failed: connection refused')
  }
  override async set(): Promise<boolean> {
    throw new StoreUnavailable('Redis SET failed: connection refused')
  }
}

describe('the shared store down', () => {
  it('counting goes on in this process’s memory: still limited, never every reader refused', async () => {
    const down = new DownStore()
    const window = { seconds: 60, now: at(12_000) }
    const who = client(`192.0.2.${Math.floor(Math.random() * 250)}`)
    expect((await consume(down, 'search', who, 2, window)).allowed).toBe(true)
    expect((await consume(down, 'search', who, 2, window)).allowed).toBe(true)
    expect((await consume(down, 'search', who, 2, window)).allowed).toBe(false)
    expect((await consume(down, 'search', client('192.0.2.251'), 2, window)).allowed).toBe(true)
    for (let i = 0; i < 3; i++) await consumeAndFlag(down, 'notFound', who, 2, window)
    expect(await isBlocked(down, 'notFound', who, 2, window)).not.toBeNull()
  })

  it('a real Redis that is not there falls back the same way', async () => {
    const gone = new RedisStore({ url: 'redis://127.0.0.1:1', clientCache: false, timeoutMs: 300 })
    opened.push(gone)
    const window = { seconds: 60, now: at(15_000) }
    expect((await consume(gone, 'md', alice, 1, window)).allowed).toBe(true)
    expect((await consume(gone, 'md', alice, 1, window)).allowed).toBe(false)
  })

  it('a store refusing writes (Redis at maxmemory) falls back too — even when its error is another bundle’s copy of the class', async () => {
    const refusing = new (class extends MemoryStore {
      override async increment(): Promise<number> {
        // What the store made by proxy.ts's bundle throws, as a route's bundle sees it: same name, other class.
        const error = new Error("Redis INCR failed: OOM command not allowed when used memory > 'maxmemory'.")
        error.name = 'StoreUnavailable'
        throw error
      }
    })()
    const window = { seconds: 60, now: at(18_000) }
    const who = client('198.51.100.9')
    expect((await consume(refusing, 'notFound', who, 1, window)).allowed).toBe(true)
    expect((await consumeAndFlag(refusing, 'notFound', who, 1, window)).allowed).toBe(false)
  })

  it('an error that is not the store’s is not swallowed', async () => {
    const broken = new (class extends MemoryStore {
      override async increment(): Promise<number> {
        throw new TypeError('a bug')
      }
    })()
    await expect(consume(broken, 'search', alice, 1, { seconds: 60 })).rejects.toThrow('a bug')
  })
})

describe('settings', () => {
  it('defaults fit a docs site, and every setting is validated by name', () => {
    expect(parseConfig({}).rateLimit).toEqual(RATE_LIMIT_DEFAULTS)
    expect(RATE_LIMIT_DEFAULTS.limits.search).toBeGreaterThanOrEqual(60)
    const custom = parseConfig({
      RATE_LIMIT_SEARCH: '5',
      RATE_LIMIT_WINDOW_SECONDS: '10',
      CLIENT_IP_HEADER: 'X-Real-IP',
      CLIENT_IP_PROXY_HOPS: '2',
      MCP_MAX_BATCH: '3',
    })
    expect(custom.rateLimit).toMatchObject({ windowSeconds: 10, clientIp: { header: 'x-real-ip', hops: 2 }, mcpMaxBatch: 3 })
    expect(custom.rateLimit.limits.search).toBe(5)
    expect(() => parseConfig({ RATE_LIMIT_SEARCH: 'lots' })).toThrow(/RATE_LIMIT_SEARCH must be a whole number/)
    expect(() => parseConfig({ RATE_LIMIT_WINDOW_SECONDS: '0' })).toThrow(/RATE_LIMIT_WINDOW_SECONDS must be at least 1/)
    expect(() => parseConfig({ CLIENT_IP_HEADER: 'x-forwarded-for, evil' })).toThrow(/CLIENT_IP_HEADER must be a header name/)
    expect(() => parseConfig({ MCP_MAX_BATCH: '1000' })).toThrow(/MCP_MAX_BATCH must be at most 100/)
  })
})
