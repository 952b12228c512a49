import type { SharedStore } from './types'

type Entry = { value: string; expiresAt: number }

/**
 * The in-process store for the embedded defaults and a single `next start` instance. Bounded: expired
 * entries are swept every minute and, past `maxEntries`, the oldest entries are dropped first. Its
 * contents end with the process (sessions must be signed in again after a restart).
 */
export class MemoryStore implements SharedStore {
  readonly kind = 'memory'
  private readonly entries = new Map<string, Entry>()
  private readonly sweeper: ReturnType<typeof setInterval>
  private readonly maxEntries: number
  private readonly now: () => number

  constructor(maxEntries = 100_000, now: () => number = Date.now) {
    this.maxEntries = maxEntries
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

  async close(): Promise<void> {
    clearInterval(this.sweeper)
    this.entries.clear()
  }

  /** For tests and the benchmark. */
  get size(): number {
    return this.entries.size
  }

  private sweep(): void {
    const now = this.now()
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key)
  }

  private evict(): void {
    this.sweep()
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break
      this.entries.delete(key)
    }
  }
}
