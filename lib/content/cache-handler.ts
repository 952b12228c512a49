import 'server-only'
import { createHash } from 'node:crypto'
import type { CacheEntry, CacheHandler } from 'next/dist/server/lib/cache-handlers/types'
import { getConfig } from '@/lib/config'
import { log } from '@/lib/log'
import { sharedStore, storeWriteHealth, type SharedStore } from '@/lib/store'
import type { StoreWriteHealth } from '@/lib/store/health'

// The `'use cache'` handler behind every cached reader read (next.config.ts `cacheHandlers.default`;
// README, *Caching model*). Entries live in this process's memory (an LRU bounded in bytes); *tag
// expirations* live in the shared store, so a publish that one instance receives expires the entries
// of every instance. Next loads `./next-cache-handler.mjs` outside the app's bundles; it forwards to
// the instance that instrumentation.ts installs from here, which can use the app's config and store.
//
// Invariants:
// - An entry is served only if none of its tags (nor the request's implicit tags) expired at or after
//   the moment its read *began* (Next's `timestamp`), less CLOCK_SKEW_MS: a read that started before a
//   publish and finished after it is never served, on this instance or another.
// - A tag expiry is always a hard expiry, whatever profile the caller named: a publish may narrow
//   access, so a stale copy is never served after one.
// - When the tag expirations cannot be read (the store is down), everything held is dropped and
//   nothing is served from or written to the cache until they can: reads go to Sanity (fail closed).
// - The same while the store refuses *writes* (lib/store/health.ts: Redis at maxmemory answers reads
//   but not SETs), because then a publish's expiry may have gone unrecorded on any instance. An expiry
//   this instance failed to write is owed: written first when the store takes writes again, before
//   anything is served from the cache — so instances that never noticed the outage expire it too.
// - Keys are stored as digests; a key (which names an audience's grants) is never kept in plain text.
// - An errored or oversized render is never stored and never replaces the last good entry.

/** Instances' clocks may disagree this much; an entry begun this close to an expiry counts as before it. */
export const CLOCK_SKEW_MS = 2_000
/** The memory all entries of one process may take, overhead included (the LRU drops the least recently used first). */
export const MAX_CACHE_BYTES = 64 * 1024 * 1024
/** One entry may take at most this share of it (a 10,000-doc llms-full.txt is read, not cached). */
export const MAX_ENTRY_BYTES = 8 * 1024 * 1024
/**
 * What an entry costs besides its bytes (its digest, metadata, tags array, the buffer's header), so a
 * flood of tiny entries (`/docs/<random slug>`, each a cached "not found") is bounded too.
 */
export const ENTRY_OVERHEAD_BYTES = 1024

const now = () => performance.timeOrigin + performance.now()
const digest = (value: string) => createHash('sha256').update(value).digest('base64url')

/** When each tag last expired, in the shared store: what makes one publish reach every instance. */
export class TagManifest {
  private readonly store: () => SharedStore
  private readonly ttlSeconds: () => number
  private readonly health: () => StoreWriteHealth | undefined
  /** Tags whose expiry could not be written, each with the attempt that owed it last: written on recovery. */
  private readonly owed = new Map<string, number>()
  private attempts = 0
  private readonly recoveryFor = new WeakSet<StoreWriteHealth>()

  /**
   * `ttlSeconds`: how long an expiry must be remembered — longer than any entry lives. `health`: the
   * store's write health, told of a failed expiry and running the owed ones on recovery.
   */
  constructor(store: () => SharedStore, ttlSeconds: () => number, health: () => StoreWriteHealth | undefined = () => undefined) {
    this.store = store
    this.ttlSeconds = ttlSeconds
    this.health = health
  }

  private key(tag: string) {
    return `content-tag:${digest(tag)}`
  }

  /** The latest expiry among `tags` (ms since the epoch), 0 if none ever expired. Throws when the store cannot answer. */
  async expirationOf(tags: readonly string[]): Promise<number> {
    if (tags.length === 0) return 0
    const store = this.store()
    // Issued together: the Redis client pipelines them into one round trip.
    const values = await Promise.all(tags.map((tag) => store.get(this.key(tag))))
    return values.reduce((latest, value) => Math.max(latest, Number(value) || 0), 0)
  }

  /**
   * Marks `tags` expired now, on every instance. The wall clock or the monotonic one, whichever is
   * later: a clock that lags (after a pause) would date the expiry before reads it must void. When the
   * store refuses, the tags are owed (see `settleOwed`) and the error is thrown (the webhook's 503).
   */
  async expire(tags: readonly string[], at = Math.round(Math.max(Date.now(), now()))): Promise<void> {
    const store = this.store()
    const ttlSeconds = this.ttlSeconds()
    const unique = [...new Set(tags)]
    try {
      await Promise.all(unique.map((tag) => store.set(this.key(tag), String(at), { ttlSeconds })))
    } catch (error) {
      const attempt = ++this.attempts
      for (const tag of unique) this.owed.set(tag, attempt)
      const health = this.health()
      if (health) {
        health.reportFailure(error)
        if (!this.recoveryFor.has(health)) {
          this.recoveryFor.add(health)
          health.onRecovery(() => this.settleOwed())
        }
      }
      throw error
    }
  }

  /** How many expiries are owed (tests). */
  get owedCount(): number {
    return this.owed.size
  }

  /** Writes the owed expiries, dated now (later than the failed attempt: it voids at least as much). */
  async settleOwed(): Promise<void> {
    if (this.owed.size === 0) return
    const snapshot = [...this.owed]
    const store = this.store()
    const ttlSeconds = this.ttlSeconds()
    const at = String(Math.round(Math.max(Date.now(), now())))
    await Promise.all(snapshot.map(([tag]) => store.set(this.key(tag), at, { ttlSeconds })))
    // A tag owed again while these were written (a newer failed expiry) stays owed.
    for (const [tag, attempt] of snapshot) if (this.owed.get(tag) === attempt) this.owed.delete(tag)
    log.info('content-cache.owed_expiries_written', { tags: snapshot.length })
  }
}

type StoredEntry = Omit<CacheEntry, 'value'> & { bytes: Uint8Array }

export type ContentCacheHandlerOptions = {
  manifest: TagManifest
  /** Whether the store takes writes (lib/store/health.ts); while it does not, nothing is served or kept. */
  writable?: () => Promise<boolean>
  maxBytes?: number
  maxEntryBytes?: number
}

export class ContentCacheHandler implements CacheHandler {
  private readonly entries = new Map<string, StoredEntry>()
  private readonly pending = new Map<string, Promise<void>>()
  private bytes = 0
  /** The tag expiries could not be read last time: entries held may predate an expiry we never saw. */
  private storeDown = false
  private readonly manifest: TagManifest
  private readonly writable: () => Promise<boolean>
  private readonly maxBytes: number
  private readonly maxEntryBytes: number

  constructor(options: ContentCacheHandlerOptions) {
    this.manifest = options.manifest
    this.writable = options.writable ?? (async () => true)
    this.maxBytes = options.maxBytes ?? MAX_CACHE_BYTES
    this.maxEntryBytes = Math.min(options.maxEntryBytes ?? MAX_ENTRY_BYTES, this.maxBytes)
  }

  /** What this process holds (benchmarks and tests). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes }
  }

  async get(cacheKey: string, softTags: string[]): Promise<CacheEntry | undefined> {
    const id = digest(cacheKey)
    // A fill in progress is waited for only when there is nothing to serve meanwhile: a stale entry is
    // served while it is read again (a fill that waits on an unreachable Sanity blocks nobody).
    if (!this.entries.has(id)) await this.pending.get(id)
    const stored = this.entries.get(id)
    if (!stored) return undefined
    if (now() > stored.timestamp + stored.expire * 1000) {
      this.drop(id)
      return undefined
    }
    if (!(await this.writable())) {
      this.unavailable(new Error('the shared store refuses writes'))
      return undefined
    }
    let expiredAt: number
    try {
      expiredAt = await this.manifest.expirationOf([...stored.tags, ...softTags])
      this.storeDown = false
    } catch (error) {
      this.unavailable(error)
      return undefined
    }
    if (expiredAt >= stored.timestamp - CLOCK_SKEW_MS) {
      this.drop(id)
      return undefined
    }
    // Most recently used last: eviction takes from the front.
    this.entries.delete(id)
    this.entries.set(id, stored)
    const { bytes, ...metadata } = stored
    return { ...metadata, value: streamOf(bytes) }
  }

  async set(cacheKey: string, pendingEntry: Promise<CacheEntry>): Promise<void> {
    const id = digest(cacheKey)
    let settled!: () => void
    const pending = new Promise<void>((resolve) => (settled = resolve))
    this.pending.set(id, pending)
    try {
      const entry = await pendingEntry
      // A dynamic entry (no lifetime) is never kept; nor anything while the tag expiries are unknown.
      if (!(entry.expire > 0) || !(entry.revalidate > 0) || !(await this.storeAnswers())) {
        await entry.value.cancel().catch(() => undefined)
        return
      }
      const bytes = await readAtMost(entry.value, this.maxEntryBytes)
      if (bytes === null || this.storeDown) return
      const { value: _value, ...metadata } = entry
      this.drop(id)
      this.entries.set(id, { ...metadata, tags: [...metadata.tags], bytes })
      this.bytes += costOf(bytes)
      for (const [oldest, old] of this.entries) {
        if (this.bytes <= this.maxBytes) break
        this.entries.delete(oldest)
        this.bytes -= costOf(old.bytes)
      }
    } catch {
      // The render failed (Sanity did not answer, or a bug): the previous entry, if any, stays — it is
      // what an audience is served while Sanity is down.
    } finally {
      if (this.pending.get(id) === pending) this.pending.delete(id)
      settled()
    }
  }

  /** Tag expirations are read with each entry (one pipelined store read), not once per request. */
  async refreshTags(): Promise<void> {}

  /**
   * The request's implicit tags (its route and path), once per request. Unknown (store down):
   * Infinity, which makes Next hand them to `get`, which then fails closed too.
   */
  async getExpiration(tags: string[]): Promise<number> {
    if (!(await this.writable())) {
      this.unavailable(new Error('the shared store refuses writes'))
      return Infinity
    }
    try {
      const expiredAt = await this.manifest.expirationOf(tags)
      this.storeDown = false
      return expiredAt
    } catch (error) {
      this.unavailable(error)
      return Infinity
    }
  }

  /** revalidateTag / updateTag: always a hard expiry, on every instance. */
  async updateTags(tags: string[]): Promise<void> {
    await this.manifest.expire(tags)
  }

  private drop(id: string) {
    const stored = this.entries.get(id)
    if (!stored) return
    this.entries.delete(id)
    this.bytes -= costOf(stored.bytes)
  }

  /** Whether the tag expiries can be read (asked again only after a failure) and the store takes writes. */
  private async storeAnswers(): Promise<boolean> {
    if (!(await this.writable())) {
      this.unavailable(new Error('the shared store refuses writes'))
      return false
    }
    if (!this.storeDown) return true
    try {
      await this.manifest.expirationOf([CONTENT_PROBE_TAG])
      this.storeDown = false
      return true
    } catch {
      return false
    }
  }

  /**
   * The store did not answer: everything held is dropped — a publish whose expiry could not be
   * written meanwhile (its webhook got a 503, and Sanity retries later) must not leave an old entry to
   * be served the moment the store is back — and nothing is kept until it answers again.
   */
  private unavailable(error: unknown) {
    if (!this.storeDown) log.failure('content-cache.tags-unavailable', error)
    this.storeDown = true
    this.entries.clear()
    this.bytes = 0
  }
}

/** A tag nothing carries: reading it tells whether the store answers. */
const CONTENT_PROBE_TAG = 'gh:probe'
const costOf = (bytes: Uint8Array) => bytes.byteLength + ENTRY_OVERHEAD_BYTES

/** A new stream over a copy of the stored bytes: no reader can change what the next one gets. */
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice())
      controller.close()
    },
  })
}

/** The whole stream in one array of its own, or null when it errors or grows past `limit` bytes. */
async function readAtMost(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | null> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) {
        const bytes = new Uint8Array(size)
        let offset = 0
        for (const chunk of chunks) {
          bytes.set(chunk, offset)
          offset += chunk.byteLength
        }
        return bytes
      }
      size += value.byteLength
      if (size > limit) {
        await reader.cancel().catch(() => undefined)
        return null
      }
      chunks.push(value)
    }
  } catch {
    return null
  }
}

// One per process, on globalThis: instrumentation.ts, route handlers and pages are bundled apart, and
// Next loads ./next-cache-handler.mjs outside all of them; it looks the handler up under this key.
const shared = ((globalThis as typeof globalThis & Record<symbol, unknown>)[Symbol.for('gatehouse.contentCache')] ??= {}) as {
  manifest?: TagManifest
  handler?: ContentCacheHandler
}

/** The process's tag manifest over the shared store (the content webhook writes it, the handler reads it). */
export function contentTagManifest(): TagManifest {
  return (shared.manifest ??= new TagManifest(
    sharedStore,
    () => {
      const { seconds, staleSeconds } = getConfig().content.cache
      // Longer than any entry can live (its `expire`), so an expiry is never forgotten while an entry it
      // voids is still held; at least a day, so turning caching on later still finds the expiries it needs.
      return Math.max(86_400, seconds + staleSeconds + 60)
    },
    storeWriteHealth,
  ))
}

/** Installs this process's handler where ./next-cache-handler.mjs finds it (instrumentation.ts, at start). */
export function installContentCacheHandler(): ContentCacheHandler {
  return (shared.handler ??= new ContentCacheHandler({ manifest: contentTagManifest(), writable: () => storeWriteHealth().writable() }))
}
