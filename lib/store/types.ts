/**
 * What every instance of Gatehouse must agree on: ended sessions, members' current access, webhook
 * deliveries already applied, what each sync target last synced. Values are short strings (JSON or
 * sealed JWE); keys never contain tokens or personal data (callers hash identifiers).
 */
export interface SharedStore {
  readonly kind: 'memory' | 'redis'
  get(key: string): Promise<string | null>
  /**
   * Stores `value` for `ttlSeconds`. With `ifAbsent` it is a SET NX: nothing is written and false
   * is returned when the key already holds a value.
   */
  set(key: string, value: string, options: { ttlSeconds: number; ifAbsent?: boolean }): Promise<boolean>
  delete(key: string): Promise<void>
  /**
   * A fixed-window counter (rate limits, quotas): adds 1 to the number at `key` and returns the new
   * count. The first increment starts the window: the key expires `ttlSeconds` after it, and later
   * increments do not extend it. One atomic step, so concurrent callers on every instance each get
   * their own count. Counter keys and value keys must not overlap (callers give them their own prefix).
   */
  increment(key: string, options: { ttlSeconds: number }): Promise<number>
  /**
   * A bounded list, newest first (the audit trail): prepends `value`, keeps only the newest
   * `maxLength` items and (re)sets the list's TTL, so it lives `ttlSeconds` after its last append.
   * One atomic step: no reader sees the list longer than `maxLength`. List keys and value keys must
   * not overlap (callers give lists their own key prefix).
   */
  append(key: string, value: string, options: { maxLength: number; ttlSeconds: number }): Promise<void>
  /** The newest `count` items of the list at `key`, newest first; [] when there is none. */
  range(key: string, count: number): Promise<string[]>
  close(): Promise<void>
}

/** The longest list `append` keeps, whatever a caller asks: lists stay bounded by construction. */
export const MAX_LIST_LENGTH = 100_000

/** `maxLength` as the stores apply it: a whole number from 1 to MAX_LIST_LENGTH. */
export function listLength(maxLength: number): number {
  if (!Number.isFinite(maxLength)) return MAX_LIST_LENGTH
  return Math.min(MAX_LIST_LENGTH, Math.max(1, Math.floor(maxLength)))
}

/** The store could not be reached or answered an error. Callers fail closed. */
export class StoreUnavailable extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause })
    this.name = 'StoreUnavailable'
  }
}

/**
 * Whether `error` is a StoreUnavailable — by name, not `instanceof`: the store lives on globalThis and
 * is made by whichever bundle asks first (proxy.ts, a route, a page are bundled apart), so its errors
 * may be another bundle's copy of the class.
 */
export function isStoreUnavailable(error: unknown): error is StoreUnavailable {
  return error instanceof Error && error.name === 'StoreUnavailable'
}
