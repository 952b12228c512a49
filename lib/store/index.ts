import 'server-only'
import { getConfig } from '@/lib/config'
import { StoreWriteHealth, watchWrites } from './health'
import { MemoryStore } from './memory'
import { RedisStore } from './redis'
import type { SharedStore } from './types'

export { StoreUnavailable, type SharedStore } from './types'

// One store per process, kept on globalThis: proxy.ts, route handlers and server components run in
// the same process but in separately bundled module graphs, and `next dev` re-evaluates modules.
type Held = { id: string; store: SharedStore; health: StoreWriteHealth }
const holder = globalThis as typeof globalThis & { [key: symbol]: Held | undefined }
const KEY = Symbol.for('gatehouse.sharedStore')

function held(): Held {
  const { store } = getConfig()
  const id = store.kind === 'redis' ? `redis ${store.url} ${store.clientCache}` : 'memory'
  const current = holder[KEY]
  if (current?.id === id) return current
  const created = store.kind === 'redis' ? new RedisStore({ url: store.url, clientCache: store.clientCache }) : new MemoryStore()
  const health = new StoreWriteHealth(() => holder[KEY]!.store)
  const next = { id, store: watchWrites(created, health), health }
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
