import { expect, it } from 'vitest'
import { limit } from '@/lib/ratelimit'
import { counterStore, sharedStore } from '@/lib/store'

// In memory (the embedded defaults, one `next start`), rate-limit counters live in a map of their
// own: a flood from as many client addresses as the shared map holds entries (an IPv6 /48 has 65,536
// /64s, each one client) must not evict a revocation, a session or a tag expiry from it.

it('a flood of distinct client addresses leaves the shared store’s security entries in place', async () => {
  const shared = sharedStore()
  expect(shared.kind).toBe('memory')
  expect(counterStore()).not.toBe(shared)
  await shared.set('revoked:clerk-session:victim', '1', { ttlSeconds: 3600 })
  await shared.set('content-tag:narrowed', String(Date.now()), { ttlSeconds: 3600 })
  for (let i = 0; i < 101_000; i++) await limit('notFound', { kind: 'client', address: `2001:db8:${(i >> 16) & 0xffff}:${i & 0xffff}::` })
  expect(await shared.get('revoked:clerk-session:victim')).toBe('1')
  expect(await shared.get('content-tag:narrowed')).not.toBeNull()
}, 60_000)

it('an address past its 404 budget is refused on /api/md/<slug> too (where /docs/<slug>.md is rewritten), not only on /docs/…', async () => {
  const { countNotFound, proxyVerdict } = await import('@/lib/ratelimit')
  const headers = new Headers({ 'x-gatehouse-client-address': '192.0.2.200' })
  for (let i = 0; i < 61; i++) await countNotFound(headers)
  for (const path of ['/docs/getting-started', '/api/md/getting-started', '/api/md/never-was'])
    expect((await proxyVerdict(path, new URLSearchParams(), headers))?.allowed, path).toBe(false)
  expect(await proxyVerdict('/api/md/getting-started', new URLSearchParams(), new Headers({ 'x-gatehouse-client-address': '192.0.2.201' }))).toBeNull()
})
