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
  close(): Promise<void>
}

/** The store could not be reached or answered an error. Callers fail closed. */
export class StoreUnavailable extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause })
    this.name = 'StoreUnavailable'
  }
}
