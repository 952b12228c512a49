import { createClient } from 'redis'
import { log } from '@/lib/log'
import { listLength, MAX_LIST_LENGTH, StoreUnavailable, type SharedStore } from './types'

export type RedisStoreOptions = {
  url: string
  /**
   * Server-assisted client-side caching (RESP3 + CLIENT TRACKING): reads are answered from this
   * process's memory and Redis pushes an invalidation the moment another instance writes the key, so
   * the hot path makes no round trip. Off for services without CLIENT TRACKING (e.g. Upstash).
   */
  clientCache: boolean
  keyPrefix?: string
  /** Per-command budget; a slower Redis counts as unavailable. */
  timeoutMs?: number
}

/**
 * The shared store on the official `redis` client: Redis, Redis Cloud, ElastiCache, Upstash or
 * Vercel's Redis integration (`rediss://` URLs work as given). One connection per process, used for
 * reads and writes alike, so a write here invalidates this process's cache before it returns.
 */
export class RedisStore implements SharedStore {
  readonly kind = 'redis'
  private readonly client: ReturnType<typeof createClient>
  private connecting: Promise<unknown> | undefined
  private readonly prefix: string
  private readonly timeoutMs: number

  constructor(options: RedisStoreOptions) {
    this.prefix = options.keyPrefix ?? 'gatehouse:'
    this.timeoutMs = options.timeoutMs ?? 2000
    this.client = createClient({
      url: options.url,
      // Fail fast while disconnected instead of queueing commands behind a dead socket.
      disableOfflineQueue: true,
      socket: { connectTimeout: this.timeoutMs, reconnectStrategy: (retries) => Math.min(retries * 100, 2000) },
      ...(options.clientCache ? { RESP: 3 as const, clientSideCache: { ttl: 0, maxEntries: 50_000, evictPolicy: 'LRU' as const } } : {}),
    })
    // node-redis reconnects by itself; an unhandled 'error' event would crash the process.
    this.client.on('error', (error: unknown) => {
      log.failure('store.redis_error', error)
    })
  }

  private async ready(): Promise<void> {
    if (this.client.isReady) return
    this.connecting ??= this.client.connect().catch((error: unknown) => {
      this.connecting = undefined
      throw error
    })
    await this.connecting
  }

  private async run<T>(what: string, command: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      return await Promise.race([
        this.ready().then(command),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs)
        }),
      ])
    } catch (error) {
      throw new StoreUnavailable(`Redis ${what} failed: ${error instanceof Error ? error.message : String(error)}`, error)
    } finally {
      clearTimeout(timer)
    }
  }

  get(key: string): Promise<string | null> {
    return this.run('GET', async () => {
      const value = await this.client.get(this.prefix + key)
      return typeof value === 'string' ? value : null
    })
  }

  set(key: string, value: string, { ttlSeconds, ifAbsent = false }: { ttlSeconds: number; ifAbsent?: boolean }): Promise<boolean> {
    return this.run('SET', async () => {
      const reply = await this.client.set(this.prefix + key, value, {
        expiration: { type: 'EX', value: Math.max(1, Math.ceil(ttlSeconds)) },
        ...(ifAbsent ? { condition: 'NX' as const } : {}),
      })
      return reply === 'OK'
    })
  }

  delete(key: string): Promise<void> {
    return this.run('DEL', async () => {
      await this.client.del(this.prefix + key)
    })
  }

  /** INCR + EXPIRE NX in one MULTI: the window starts with the first increment and is never extended. */
  increment(key: string, { ttlSeconds }: { ttlSeconds: number }): Promise<number> {
    const name = this.prefix + key
    return this.run('INCR', async () => {
      const [count] = await this.client
        .multi()
        .incr(name)
        .expire(name, Math.max(1, Math.ceil(ttlSeconds)), 'NX')
        .exec()
      return Number(count)
    })
  }

  /** LPUSH + LTRIM + EXPIRE in one MULTI: atomic, one round trip, never longer than `maxLength`. */
  append(key: string, value: string, { maxLength, ttlSeconds }: { maxLength: number; ttlSeconds: number }): Promise<void> {
    const name = this.prefix + key
    return this.run('LPUSH', async () => {
      await this.client
        .multi()
        .lPush(name, value)
        .lTrim(name, 0, listLength(maxLength) - 1)
        .expire(name, Math.max(1, Math.ceil(ttlSeconds)))
        .exec()
    })
  }

  range(key: string, count: number): Promise<string[]> {
    const wanted = Number.isFinite(count) ? Math.min(MAX_LIST_LENGTH, Math.floor(count)) : 0
    // LRANGE 0 -1 would be the whole list: a count of 0 must stay 0.
    if (wanted <= 0) return Promise.resolve([])
    return this.run('LRANGE', async () => {
      const items: unknown = await this.client.lRange(this.prefix + key, 0, wanted - 1)
      return Array.isArray(items) ? items.filter((item): item is string => typeof item === 'string') : []
    })
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close()
  }
}
