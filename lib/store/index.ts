import 'server-only'
import { getConfig } from '@/lib/config'
import { MemoryStore } from './memory'
import { RedisStore } from './redis'
import type { SharedStore } from './types'

export { StoreUnavailable, type SharedStore } from './types'

// One store per process, kept on globalThis: proxy.ts, route handlers and server components run in
// the same process but in separately bundled module graphs, and `next dev` re-evaluates modules.
const holder = globalThis as typeof globalThis & { [key: symbol]: { id: string; store: SharedStore } | undefined }
const KEY = Symbol.for('gatehouse.sharedStore')

/** The configured shared store: Redis when REDIS_URL is set, else this process's memory. */
export function sharedStore(): SharedStore {
  const { store } = getConfig()
  const id = store.kind === 'redis' ? `redis ${store.url} ${store.clientCache}` : 'memory'
  const current = holder[KEY]
  if (current?.id === id) return current.store
  const created = store.kind === 'redis' ? new RedisStore({ url: store.url, clientCache: store.clientCache }) : new MemoryStore()
  holder[KEY] = { id, store: created }
  return created
}
