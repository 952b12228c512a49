import 'server-only'
import { getConfig } from '@/lib/config'
import { StoreWriteHealth, watchWrites } from './health'
import { MemoryStore } from './memory'
import { RedisStore } from './redis'
import type { SharedStore } from './types'

export { StoreUnavailable, type SharedStore } from './types'

// One store per process, kept on globalThis: proxy.ts, route handlers and server components run in
// the same process but in separately bundled module graphs, and `next dev` re-evaluates modules.
type Held = { id: string; store: SharedStore; health: StoreWriteHealth; counters: SharedStore }
const holder = globalThis as typeof globalThis & { [key: symbol]: Held | undefined }
const KEY = Symbol.for('gatehouse.sharedStore')

function held(): Held {
  const { store } = getConfig()
  const id = store.kind === 'redis' ? `redis ${store.url} ${store.clientCache}` : 'memory'
  const current = holder[KEY]
  if (current?.id === id) return current
  const created = store.kind === 'redis' ? new RedisStore({ url: store.url, clientCache: store.clientCache }) : new MemoryStore()
  const health = new StoreWriteHealth(() => holder[KEY]!.store)
  const watched = watchWrites(created, health)
  // In memory, counters get a map of their own: an anonymous flood of client addresses (each IPv6 /64
  // a key) must never push sessions, revocations or tag expiries out of the shared one's bound.
  const next = { id, store: watched, health, counters: store.kind === 'redis' ? watched : new MemoryStore(100_000) }
  holder[KEY] = next
  return next
}

/** The configured shared store: Redis when REDIS_URL is set, else this process's memory. Its writes are watched (./health.ts). */
export function sharedStore(): SharedStore {
  return held().store
}

/** Whether this process can write to the shared store (./health.ts): what to stop serving when it cannot. */
export function storeWriteHealth(): StoreWriteHealth {
  return held().health
}

/**
 * Where rate-limit counters live (lib/ratelimit): the shared store with Redis (their keys expire with
 * their window), a bounded map of their own in memory.
 */
export function counterStore(): SharedStore {
  return held().counters
}
