import { keyHash } from '@/lib/auth/hash'
import type { RateLimitSurface } from '@/lib/config'
import { log } from '@/lib/log'
import { MemoryStore } from '@/lib/store/memory'
import { isStoreUnavailable, type SharedStore } from '@/lib/store/types'

// Fixed-window rate limits in the shared store (README, *Rate limits*). A window is aligned to the
// clock (window n covers [n·w, (n+1)·w) seconds), so every instance counts into the same key and the
// Retry-After of a refusal is exact: the seconds until the window ends. Counting is `increment`, one
// atomic step in Redis, so two instances never both hand out the last request of a budget.
//
// Keys: `rl:<surface>:<window>:<requester>`, where the requester is a keyed hash of the reader
// (provider + subject) or of the client's address — never an email, a token or an address in clear.
// Whatever a client sends, a key has a fixed shape and length.

/** Who is counted: a signed-in reader, or a client address (lib/ratelimit/client.ts). */
export type Requester = { kind: 'reader'; provider: string; subject: string } | { kind: 'client'; address: string }

export type Verdict = { allowed: boolean; count: number; limit: number; retryAfterSeconds: number }

export type Window = { seconds: number; now?: () => number }

/** The requester's part of a key: a hash, so nothing personal or client-chosen reaches the store in clear. */
export function requesterKey(requester: Requester): string {
  return requester.kind === 'reader' ? `r:${keyHash(`${requester.provider}\u0000${requester.subject}`)}` : `c:${keyHash(requester.address)}`
}

// When the shared store does not answer, counting goes on in this process's memory (bounded): a
// flood during a Redis outage is still limited, per instance, instead of let through (fail-open)
// exactly when the service is already degraded, or turned into a refusal of every reader (fail-closed).
const holder = globalThis as typeof globalThis & { [key: symbol]: SharedStore | undefined }
const FALLBACK = Symbol.for('gatehouse.ratelimit.fallback')
const fallbackStore = (): SharedStore => (holder[FALLBACK] ??= new MemoryStore(20_000))
let lastFallbackLog = 0

async function withFallback<T>(store: SharedStore, run: (store: SharedStore) => Promise<T>): Promise<T> {
  try {
    return await run(store)
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error
    // One line a minute at most: a Redis outage must not become a log flood as well.
    if (Date.now() - lastFallbackLog > 60_000) {
      lastFallbackLog = Date.now()
      log.failure('ratelimit.store_unavailable', error, { fallback: 'process memory' })
    }
    return run(fallbackStore())
  }
}

function windowOf({ seconds, now = Date.now }: Window): { index: number; retryAfterSeconds: number } {
  const t = now() / 1000
  const index = Math.floor(t / seconds)
  return { index, retryAfterSeconds: Math.max(1, Math.ceil((index + 1) * seconds - t)) }
}

const counterKey = (surface: RateLimitSurface, index: number, requester: Requester) => `rl:${surface}:${index}:${requesterKey(requester)}`
const blockKey = (surface: RateLimitSurface, index: number, requester: Requester) => `rlb:${surface}:${index}:${requesterKey(requester)}`

/**
 * Counts `cost` requests (a batch's tool calls count one each) for `requester` on `surface` and says
 * whether they fit in the budget `limit` of this window. A limit of 0 means the surface is not limited
 * (nothing is counted). A refused request counts too: hammering a closed window does not reopen it.
 */
export async function consume(store: SharedStore, surface: RateLimitSurface, requester: Requester, limit: number, window: Window, cost = 1): Promise<Verdict> {
  const { index, retryAfterSeconds } = windowOf(window)
  if (limit <= 0) return { allowed: true, count: 0, limit, retryAfterSeconds }
  const key = counterKey(surface, index, requester)
  // The key lives to the end of its window (+1 s of clock skew between instances), never longer.
  const ttlSeconds = retryAfterSeconds + 1
  const n = Math.max(1, Math.min(Math.floor(cost), 1000))
  const count = await withFallback(store, async (s) => {
    let last = 0
    for (let i = 0; i < n; i++) last = await s.increment(key, { ttlSeconds })
    return last
  })
  return { allowed: count <= limit, count, limit, retryAfterSeconds }
}

/**
 * `consume`, and once the budget is spent a flag for the rest of the window that `isBlocked` reads:
 * for a surface counted where a 429 cannot be answered (a page's 404) and refused where it can
 * (proxy.ts, before the next request renders).
 */
export async function consumeAndFlag(store: SharedStore, surface: RateLimitSurface, requester: Requester, limit: number, window: Window): Promise<Verdict> {
  const verdict = await consume(store, surface, requester, limit, window)
  if (!verdict.allowed) {
    const { index } = windowOf(window)
    await withFallback(store, (s) => s.set(blockKey(surface, index, requester), '1', { ttlSeconds: verdict.retryAfterSeconds + 1 }))
  }
  return verdict
}

/** Whether `consumeAndFlag` spent this window's budget of `surface` for `requester`: the refusal, or null. */
export async function isBlocked(store: SharedStore, surface: RateLimitSurface, requester: Requester, limit: number, window: Window): Promise<Verdict | null> {
  if (limit <= 0) return null
  const { index, retryAfterSeconds } = windowOf(window)
  const flagged = await withFallback(store, async (s) => {
    // The fallback may hold a flag set while the shared store was down; either one blocks.
    const shared = await s.get(blockKey(surface, index, requester))
    return shared !== null || (s !== fallbackStore() && (await fallbackStore().get(blockKey(surface, index, requester))) !== null)
  })
  return flagged ? { allowed: false, count: limit + 1, limit, retryAfterSeconds } : null
}
