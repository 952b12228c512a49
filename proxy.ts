import { NextRequest, NextResponse, type NextFetchEvent } from 'next/server'
import { authProvider } from '@/lib/auth'
import { SPOOFABLE_HEADERS } from '@/lib/auth/providers/registry'
import { getConfig } from '@/lib/config'
import { forwardClientAddress, proxyVerdict, tooManyRequests } from '@/lib/ratelimit'
import { contentSecurityPolicy, mustNotBeStored, securityHeaders } from '@/lib/security/headers'
import { malformedRouterState } from '@/lib/security/router-state'

/**
 * An optimistic first pass, never the only check (lib/auth/dal.ts re-verifies in every server
 * component): strips headers a client could use to pose as someone, then runs the configured
 * provider SDK's middleware, which drops bad sessions and sends signed-out readers of private
 * routes to sign in.
 */

const PRIVATE_ROUTES = ['/account']

/** Headers that carry identity in some setup (lib/auth/providers/registry.ts); none may arrive from a client. */
const SPOOFABLE_EXACT = new Set(SPOOFABLE_HEADERS.filter((name) => !name.endsWith('*')))
const SPOOFABLE_PREFIXES = SPOOFABLE_HEADERS.filter((name) => name.endsWith('*')).map((name) => name.slice(0, -1))

function isSpoofable(name: string): boolean {
  return SPOOFABLE_EXACT.has(name) || SPOOFABLE_PREFIXES.some((prefix) => name.startsWith(prefix))
}

/**
 * The SDK middleware sees the cleaned request, but a plain NextResponse.next() would forward the
 * browser's original headers to the page. Forward the cleaned ones, plus any the SDK added.
 */
function forwardCleanedHeaders(response: Response, cleaned: Headers): Response {
  if (!response.headers.has('x-middleware-next')) return response
  const forwarded = new Headers(cleaned)
  const overridden = response.headers.get('x-middleware-override-headers')
  for (const name of overridden ? overridden.split(',') : []) {
    const value = response.headers.get(`x-middleware-request-${name}`)
    if (value === null) forwarded.delete(name)
    else forwarded.set(name, value)
  }
  const next = NextResponse.next({ request: { headers: forwarded } })
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie' || name.startsWith('x-middleware-')) return
    next.headers.set(name, value)
  })
  for (const cookie of response.headers.getSetCookie()) next.headers.append('set-cookie', cookie)
  return next
}

export async function proxy(request: NextRequest, event: NextFetchEvent) {
  const config = getConfig()
  const headers = new Headers(request.headers)
  for (const name of [...headers.keys()]) if (isSpoofable(name)) headers.delete(name)
  const { pathname } = request.nextUrl
  // Malformed framework input is the client's error (400), not a crash (500).
  if (malformedRouterState(headers)) {
    return NextResponse.json({ error: 'Malformed Next-Router-State-Tree header' }, { status: 400, headers: { 'cache-control': 'no-store' } })
  }
  // One client address for proxy, pages and routes alike (overwrites any value the client sent).
  forwardClientAddress(headers)
  // Rate limits decided before anything renders (lib/ratelimit): the /search page, and /docs/… for
  // an address that spent its 404 budget.
  const limited = await proxyVerdict(pathname, request.nextUrl.searchParams, headers)
  if (limited) return tooManyRequests(limited, 'text')
  // A fresh nonce per response; Next reads it from this request header and puts it on its scripts.
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')
  const csp = contentSecurityPolicy(config, nonce, {
    studio: pathname === '/studio' || pathname.startsWith('/studio/'),
    dev: !config.production,
  })
  headers.set('content-security-policy', csp)
  const cleaned = new NextRequest(request, { headers })
  const privateRoute = PRIVATE_ROUTES.some((route) => pathname === route || pathname.startsWith(`${route}/`))
  const provider = await authProvider()
  const response = forwardCleanedHeaders(await provider.proxy(cleaned, event, { privateRoute }), headers)
  for (const [name, value] of Object.entries(securityHeaders(config, csp))) response.headers.set(name, value)
  if (mustNotBeStored(pathname, response.status)) response.headers.set('cache-control', 'no-store')
  return response
}

export const config = {
  // Everything but static assets: pages, route handlers and server actions all pass through.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|robots.txt).*)'],
}
