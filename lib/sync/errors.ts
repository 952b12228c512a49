/** A delivery we refuse: Sanity does not retry 4xx (other than 429), so nothing here may be transient. */
export class DeliveryRejected extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.name = 'DeliveryRejected'
    this.status = status
  }
}

/** The identity provider failed (429, 5xx, timeout): answer 503 with Retry-After so Sanity retries. */
export class TargetUnavailable extends Error {
  readonly retryAfterSeconds: number
  constructor(message: string, retryAfterSeconds = 30, cause?: unknown) {
    super(message, { cause })
    this.name = 'TargetUnavailable'
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** Maps an SDK/HTTP failure: 429 and 5xx and network errors are transient, other 4xx are not. */
export function classifyTargetError(target: string, error: unknown): Error {
  if (error instanceof DeliveryRejected || error instanceof TargetUnavailable) return error
  const status = statusOf(error)
  if (status === undefined || status === 408 || status === 429 || status >= 500) {
    return new TargetUnavailable(`${target} is unavailable${status ? ` (HTTP ${status})` : ''}`, status === 429 ? 60 : 30, error)
  }
  return new DeliveryRejected(422, `${target} refused the change (HTTP ${status})`)
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  for (const key of ['status', 'statusCode', 'httpStatusCode']) {
    const value = (error as Record<string, unknown>)[key]
    if (typeof value === 'number') return value
  }
  return undefined
}

/** Runs one management-API call, mapping any failure with classifyTargetError. */
export async function callTarget<T>(target: string, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw classifyTargetError(`${target} (${what})`, error)
  }
}
