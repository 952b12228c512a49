import { listLength, MAX_LIST_LENGTH, type SharedStore } from './types'

type Entry = { value: string; expiresAt: number }
/** Oldest first, so an append is a push; `range` reads from the end. */
type List = { items: string[]; expiresAt: number }

/**
 * The in-process store for the embedded defaults and a single `next start` instance. Bounded: expired
 * entries are swept every minute and, past `maxEntries`, the oldest entries are dropped first; lists
 * hold at most their `maxLength` (≤ MAX_LIST_LENGTH) items and, past `maxLists`, the least recently
 * appended list is dropped. Its contents end with the process (sessions must be signed in again after
 * a restart).
 */
export class MemoryStore implements SharedStore {
  readonly kind = 'memory'
  private readonly entries = new Map<string, Entry>()
  private readonly lists = new Map<string, List>()
  private readonly maxLists: number
  private readonly sweeper: ReturnType<typeof setInterval>
  private readonly maxEntries: number
  private readonly now: () => number

  // maxLists: the audit trail keeps one list per signed-in reader (lib/audit/sinks.ts), so this bounds
  // how many readers' trails one process keeps — 1,000, each bounded by its own maxLength (200 events of
  // ~200 bytes by default: ~40 MB at most, well inside the 384 MB heap `npm start` runs with); past it
  // the least recently appended reader's trail goes first.
  constructor(maxEntries = 100_000, now: () => number = Date.now, maxLists = 1_000) {
    this.maxEntries = maxEntries
    this.maxLists = maxLists
    this.now = now
    this.sweeper = setInterval(() => this.sweep(), 60_000)
    this.sweeper.unref()
  }

  async get(key: string): Promise<string | null> {
    return this.peek(key)
  }

  /** Synchronous, so a check-and-set below cannot interleave with another caller's (SET NX semantics). */
  private peek(key: string): string | null {
    const entry = this.entries.get(key)
    if (!entry) return null
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key)
      return null
    }
    return entry.value
  }

  async set(key: string, value: string, { ttlSeconds, ifAbsent = false }: { ttlSeconds: number; ifAbsent?: boolean }): Promise<boolean> {
    if (ifAbsent && this.peek(key) !== null) return false
    this.entries.delete(key) // re-insert so Map order stays oldest-first
    this.entries.set(key, { value, expiresAt: this.now() + Math.max(1, ttlSeconds) * 1000 })
    if (this.entries.size > this.maxEntries) this.evict()
    return true
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key)
  }

  async increment(key: string, { ttlSeconds }: { ttlSeconds: number }): Promise<number> {
    const current = this.entries.get(key)
    const live = current && current.expiresAt > this.now() ? current : undefined
    const count = (Number(live?.value) || 0) + 1
    const expiresAt = live?.expiresAt ?? this.now() + Math.max(1, ttlSeconds) * 1000
    this.entries.delete(key) // re-insert so Map order stays oldest-first
    this.entries.set(key, { value: String(count), expiresAt })
    if (this.entries.size > this.maxEntries) this.evict()
    return count
  }

  async append(key: string, value: string, { maxLength, ttlSeconds }: { maxLength: number; ttlSeconds: number }): Promise<void> {
    const limit = listLength(maxLength)
    const current = this.liveList(key)
    const items = current?.items ?? []
    items.push(value)
    if (items.length > limit) items.splice(0, items.length - limit)
    this.lists.delete(key) // re-insert so Map order stays least recently appended first
    this.lists.set(key, { items, expiresAt: this.now() + Math.max(1, ttlSeconds) * 1000 })
    if (this.lists.size > this.maxLists) {
      this.sweep()
      for (const oldest of this.lists.keys()) {
        if (this.lists.size <= this.maxLists) break
        this.lists.delete(oldest)
      }
    }
  }

  async range(key: string, count: number): Promise<string[]> {
    const items = this.liveList(key)?.items
    const wanted = Number.isFinite(count) ? Math.min(MAX_LIST_LENGTH, Math.floor(count)) : 0
    if (!items || wanted <= 0) return []
    return items.slice(-wanted).reverse()
  }

  private liveList(key: string): List | undefined {
    const list = this.lists.get(key)
    if (list && list.expiresAt <= this.now()) {
      this.lists.delete(key)
      return undefined
    }
    return list
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper)
    this.entries.clear()
    this.lists.clear()
  }

  /** For tests and the benchmark. */
  get size(): number {
    return this.entries.size
  }

  /** For tests: how many lists, and how many items they hold in all. */
  get listStats(): { lists: number; items: number } {
    let items = 0
    for (const list of this.lists.values()) items += list.items.length
    return { lists: this.lists.size, items }
  }

  private sweep(): void {
    const now = this.now()
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key)
    for (const [key, list] of this.lists) if (list.expiresAt <= now) this.lists.delete(key)
  }

  private evict(): void {
    this.sweep()
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break
      this.entries.delete(key)
    }
  }
}
