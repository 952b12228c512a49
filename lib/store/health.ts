import { log } from '@/lib/log'
import type { SharedStore } from './types'

// Whether this process can *write* to the shared store right now. A store can answer reads and
// refuse writes — Redis at `maxmemory` under the required `noeviction` policy answers every SET with
// an OOM error while GET and DEL still work (and with client-side caching, reads are answered from
// this process's memory) — and then a publish's tag expiry or a member's revocation cannot be
// recorded: the webhook answers 503 and Sanity retries later, but meanwhile every instance would go on
// serving what that expiry or revocation removes. So whatever an unrecorded write would have changed
// stops being served from the store's copies while writes fail:
//   - the content cache (lib/content/cache-handler.ts) drops what it holds and serves nothing;
//   - member access (lib/auth/member-access.ts) is re-read from Sanity on each request.
//
// Invariants:
// - A failed write anywhere in this process marks the store unwritable at once; another instance
//   learns it from its own probe (a SET of one key, at most once per PROBE_INTERVAL_MS while asked).
// - It is writable again only after a probe succeeds *and* every recovery task has run (e.g. writing
//   the tag expiries that failed), so nothing is served as if the failed write had never been due.
// - While unwritable, a probe runs every PROBE_INTERVAL_MS by itself, so recovery tasks run even
//   when no request arrives.

/** How stale "writable" may be on an instance that has not failed a write itself. */
export const PROBE_INTERVAL_MS = 1_000
const PROBE_KEY = 'store-probe:write'

export class StoreWriteHealth {
  private readonly store: () => SharedStore
  private readonly intervalMs: number
  private state: 'writable' | 'unwritable' = 'writable'
  /** Counts every failed write: a probe counts as a success only if none failed while it ran. */
  private failures = 0
  /** When this process first saw writes fail in the current outage (ms since the epoch), else null. */
  private since: number | null = null
  private checkedAt = -Infinity
  private probing: Promise<boolean> | undefined
  private retry: ReturnType<typeof setTimeout> | undefined
  private readonly recoveries: (() => Promise<void>)[] = []

  constructor(store: () => SharedStore, intervalMs = PROBE_INTERVAL_MS) {
    this.store = store
    this.intervalMs = intervalMs
  }

  /** A write failed: the store is unwritable from now until a probe and every recovery task succeed. */
  reportFailure(error: unknown): void {
    if (this.state === 'writable') log.failure('store.writes_refused', error)
    this.failures++
    this.since ??= Date.now()
    this.state = 'unwritable'
    this.checkedAt = performance.now()
    this.scheduleRetry()
  }

  /** Runs (and must succeed) before the store counts as writable again after a failure. */
  onRecovery(task: () => Promise<void>): void {
    this.recoveries.push(task)
  }

  /** Whether writes succeed, as of at most PROBE_INTERVAL_MS ago (probing now if older). Never throws. */
  async writable(): Promise<boolean> {
    if (performance.now() - this.checkedAt < this.intervalMs) return this.state === 'writable'
    return (this.probing ??= this.probe().finally(() => (this.probing = undefined)))
  }

  /** The last known state, without probing (tests, logs). */
  get known(): 'writable' | 'unwritable' {
    return this.state
  }

  /** When this process first saw writes fail in the outage under way (ms since the epoch); null while writable. */
  get unwritableSince(): number | null {
    return this.since
  }

  private async probe(): Promise<boolean> {
    const wasUnwritable = this.state === 'unwritable'
    const failuresBefore = this.failures
    try {
      await this.store().set(PROBE_KEY, String(Date.now()), { ttlSeconds: 60 })
      if (wasUnwritable) for (const task of this.recoveries) await task()
    } catch (error) {
      this.reportFailure(error)
      return false
    }
    // A write that failed while this probe (or a recovery task) ran began an outage this probe cannot
    // vouch for: stay unwritable, and the next probe runs the recovery tasks.
    if (this.failures !== failuresBefore) return false
    if (wasUnwritable) log.info('store.writes_accepted', {})
    this.since = null
    this.state = 'writable'
    this.checkedAt = performance.now()
    clearTimeout(this.retry)
    this.retry = undefined
    return true
  }

  private scheduleRetry(): void {
    if (this.retry) return
    this.retry = setTimeout(() => {
      this.retry = undefined
      void this.writable().then((ok) => {
        if (!ok) this.scheduleRetry()
      })
    }, this.intervalMs)
    this.retry.unref?.()
  }
}

/**
 * The store with every write watched: a write that fails marks `health` unwritable (and still throws,
 * so its caller fails as before). Reads are passed through untouched.
 */
export function watchWrites(store: SharedStore, health: StoreWriteHealth): SharedStore {
  const watched = <T>(write: Promise<T>): Promise<T> =>
    write.catch((error: unknown) => {
      health.reportFailure(error)
      throw error
    })
  return {
    kind: store.kind,
    get: (key) => store.get(key),
    range: (key, count) => store.range(key, count),
    set: (key, value, options) => watched(store.set(key, value, options)),
    delete: (key) => watched(store.delete(key)),
    increment: (key, options) => watched(store.increment(key, options)),
    append: (key, value, options) => watched(store.append(key, value, options)),
    close: () => store.close(),
  }
}
