import 'server-only'
import type { Audience } from '@/lib/auth/dal'
import { getConfig, type RateLimitSurface } from '@/lib/config'
import { counterStore } from '@/lib/store'
import { CLIENT_ADDRESS_HEADER, clientAddress } from './client'
import { consume, consumeAndFlag, isBlocked, type Requester, type Verdict } from './limiter'

export { CLIENT_ADDRESS_HEADER, clientAddress, normalizeAddress, UNKNOWN_CLIENT } from './client'
export { requesterKey, type Requester, type Verdict } from './limiter'

// The app's rate limits (README, *Rate limits*): which surface, which budget (lib/config
// `rateLimit`), who is counted. Route handlers count the reader when one is signed in (a reader
// behind a shared office address keeps their own budget) and the client address otherwise; proxy.ts,
// which has no reader yet, counts and refuses by address.

/** The client address of a request: the one proxy.ts resolved from the configured trusted header. */
export function clientOf(headers: Headers): Requester {
  const resolved = headers.get(CLIENT_ADDRESS_HEADER)
  return { kind: 'client', address: resolved !== null ? resolved.slice(0, 64) : clientAddress(headers, getConfig().rateLimit.clientIp) }
}

/** For proxy.ts: the request headers it forwards carry the client address it resolved (CLIENT_ADDRESS_HEADER). */
export function forwardClientAddress(headers: Headers): void {
  headers.set(CLIENT_ADDRESS_HEADER, clientAddress(headers, getConfig().rateLimit.clientIp))
}

/** The signed-in person when there is one (a browser session or a bearer token), else the client address. */
export function requesterOf(headers: Headers, audience: Audience | null): Requester {
  const viewer = audience?.viewer
  return viewer ? { kind: 'reader', provider: viewer.provider, subject: viewer.subject } : clientOf(headers)
}

const settings = (surface: RateLimitSurface) => {
  const { rateLimit } = getConfig()
  return { limit: rateLimit.limits[surface], window: { seconds: rateLimit.windowSeconds } }
}

/** Counts one request (or `cost`) on `surface`: the verdict, allowed or not. */
export function limit(surface: RateLimitSurface, requester: Requester, cost = 1): Promise<Verdict> {
  const { limit: budget, window } = settings(surface)
  return consume(counterStore(), surface, requester, budget, window, cost)
}

/**
 * Counts a 404 of a doc address (unknown, or hidden from this reader: the two are one decision, so
 * they count alike and a 429 never tells them apart) by client address — the key proxy.ts can check.
 */
export async function countNotFound(headers: Headers): Promise<void> {
  const { limit: budget, window } = settings('notFound')
  await consumeAndFlag(counterStore(), 'notFound', clientOf(headers), budget, window)
}

/** Counts a bearer token that was not valid (malformed, forged, expired, another app's) by client address. */
export async function countBadToken(client: Requester): Promise<void> {
  const { limit: budget, window } = settings('badTokens')
  await consumeAndFlag(counterStore(), 'badTokens', client, budget, window)
}

/** The refusal for an address that sent too many tokens that were not valid this window, else null. */
export function badTokensBlocked(client: Requester): Promise<Verdict | null> {
  const { limit: budget, window } = settings('badTokens')
  return isBlocked(counterStore(), 'badTokens', client, budget, window)
}

/** The refusal for a client that spent its 404 budget this window, else null (proxy.ts, on /docs/…). */
export function notFoundBlocked(headers: Headers): Promise<Verdict | null> {
  const { limit: budget, window } = settings('notFound')
  return isBlocked(counterStore(), 'notFound', clientOf(headers), budget, window)
}

/** 429 with Retry-After (seconds to the window's end), never stored; JSON or text like the surface's own answers. */
export function tooManyRequests(verdict: Verdict, format: 'json' | 'text' = 'json'): Response {
  const description = `Too many requests: at most ${verdict.limit} in this window. Retry after ${verdict.retryAfterSeconds} s.`
  const headers = { 'retry-after': String(verdict.retryAfterSeconds), 'cache-control': 'no-store' }
  return format === 'json'
    ? Response.json({ error: 'rate_limited', error_description: description }, { status: 429, headers })
    : new Response(`${description}\n`, { status: 429, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } })
}

/**
 * proxy.ts's share, by client address (no reader is known yet): the /search page's queries count
 * with the search budget, and an address that spent its 404 budget is refused every /docs/… address
 * for the rest of the window — readable, hidden and unknown alike, so the refusal tells nothing.
 */
export async function proxyVerdict(pathname: string, search: URLSearchParams, headers: Headers): Promise<Verdict | null> {
  if (pathname === '/search' && (search.get('q') ?? '').trim() !== '') {
    const verdict = await limit('search', clientOf(headers))
    return verdict.allowed ? null : verdict
  }
  // /api/md/<slug> is where /docs/<slug>.md is rewritten to: reached directly, it is a doc address too.
  if (pathname.startsWith('/docs/') || pathname.startsWith('/api/md/')) return notFoundBlocked(headers)
  return null
}
