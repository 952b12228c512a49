import { unstable_rethrow } from 'next/navigation'
import { describeError, log } from '@/lib/log'

// How a route handler fails. A service Gatehouse depends on (Sanity, the shared store, an IdP) not
// answering in time is not our bug: it is a 503 with Retry-After, which clients and CDNs retry later.
// A genuine bug stays a 500. Either way the response is `no-store` — an error must never be cached in
// place of the page — and says nothing about the failure beyond its kind (the server log has the rest).

/** Seconds a client is asked to wait after a 503 (a Sanity or Redis hiccup is usually over by then). */
export const RETRY_AFTER_SECONDS = 5

/**
 * The digest Next keeps on an error that crosses a `'use cache'` boundary (production replaces the
 * error itself with an anonymous one but keeps a digest the error already had): how a route handler
 * still recognises an upstream failure thrown inside a cached read.
 */
export const UPSTREAM_DIGEST = 'GATEHOUSE_UPSTREAM_UNAVAILABLE'

/** An upstream service failed or timed out: the request may succeed if retried later. */
export class UpstreamUnavailable extends Error {
  readonly digest = UPSTREAM_DIGEST
  constructor(what: string, cause?: unknown) {
    super(`${what} is unavailable: ${describeError(cause).error}`, { cause })
    this.name = 'UpstreamUnavailable'
  }
}

/** Network-level failures of Node's sockets and fetch, and @sanity/client's (get-it's) timeouts. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
])

function oneIsUpstream(error: object): boolean {
  const e = error as { name?: unknown; code?: unknown; digest?: unknown; statusCode?: unknown; message?: unknown }
  if (e.digest === UPSTREAM_DIGEST) return true
  if (e.name === 'UpstreamUnavailable' || e.name === 'StoreUnavailable' || e.name === 'TimeoutError') return true
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true
  // @sanity/client's ServerError (5xx) and a 429 from Sanity's API: theirs, not ours. Other 4xx
  // (a malformed query, a bad token) are our bugs or configuration: 500.
  if (typeof e.statusCode === 'number' && (e.statusCode >= 500 || e.statusCode === 429)) return true
  // undici's fetch rejects with TypeError('fetch failed') and the socket error as its cause.
  return e.name === 'TypeError' && e.message === 'fetch failed'
}

/** True for a failure of a service Gatehouse depends on (anywhere in the cause chain), false for a bug. */
export function isUpstreamFailure(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if (oneIsUpstream(current)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/** Rethrows an upstream failure as UpstreamUnavailable (so it survives a cache boundary); anything else unchanged. */
export async function fromUpstream<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    if (!(error instanceof UpstreamUnavailable) && isUpstreamFailure(error)) throw new UpstreamUnavailable(what, error)
    throw error
  }
}

export type ErrorFormat = 'json' | 'text'

const NO_STORE = { 'cache-control': 'no-store' } as const

function body(format: ErrorFormat, error: string, description: string): { body: string; type: string } {
  return format === 'json'
    ? { body: JSON.stringify({ error, error_description: description }), type: 'application/json' }
    : { body: `${description}\n`, type: 'text/plain; charset=utf-8' }
}

/** The response for an error a route handler did not handle: 503 + Retry-After for an upstream failure, else 500. */
export function errorResponse(error: unknown, format: ErrorFormat = 'json'): Response {
  if (isUpstreamFailure(error)) {
    const out = body(format, 'temporarily_unavailable', 'A service this page depends on did not answer in time. Please try again shortly.')
    return new Response(out.body, {
      status: 503,
      headers: { ...NO_STORE, 'retry-after': String(RETRY_AFTER_SECONDS), 'content-type': out.type },
    })
  }
  const out = body(format, 'internal_error', 'Something went wrong on our side.')
  return new Response(out.body, { status: 500, headers: { ...NO_STORE, 'content-type': out.type } })
}

/**
 * A route handler that never answers Next's bare 500: an error it throws becomes `errorResponse`
 * (logged once, without the request). Next's own control flow (redirect(), notFound(), dynamic
 * usage) passes through untouched.
 */
export function withRouteErrors<Args extends unknown[]>(
  name: string,
  handler: (...args: Args) => Promise<Response>,
  format: ErrorFormat = 'json',
): (...args: Args) => Promise<Response> {
  return async (...args: Args) => {
    try {
      return await handler(...args)
    } catch (error) {
      unstable_rethrow(error)
      const upstream = isUpstreamFailure(error)
      log[upstream ? 'warn' : 'error'](upstream ? 'route.upstream_unavailable' : 'route.error', { route: name, ...describeError(error) })
      return errorResponse(error, format)
    }
  }
}

/** A redirect that no browser or CDN stores (README: every redirect is `no-store`). */
export function redirectResponse(location: string, status: 302 | 303 | 307 | 308 = 307): Response {
  return new Response(null, { status, headers: { location, ...NO_STORE } })
}
