import { NextResponse, type NextRequest } from 'next/server'
import { getConfig } from '@/lib/config'
import { readSession, sessionCookieName } from '@/lib/auth/session'

/**
 * An optimistic first pass, never the only check (lib/auth/dal.ts re-verifies in every server
 * component): strips headers a client could use to pose as someone, drops a session cookie that
 * fails to decrypt or has expired, and sends signed-out readers of always-private routes to sign in.
 */

/** Headers that carry identity in some setups; none may arrive from a client. */
const SPOOFABLE_HEADERS = [
  'x-middleware-subrequest',
  'x-user',
  'x-user-id',
  'x-user-email',
  'x-user-roles',
  'x-roles',
  'x-tenant',
  'x-plan',
  'x-viewer',
  'x-forwarded-user',
  'x-forwarded-email',
  'x-forwarded-groups',
  'x-auth-request-user',
  'x-auth-request-email',
  'x-auth-request-groups',
  'x-descope-session',
  'remote-user',
]
const SPOOFABLE_PREFIX = 'x-gatehouse-'

const PRIVATE_ROUTES = ['/account']

export async function proxy(request: NextRequest) {
  const { session, secureCookies } = getConfig()
  const headers = new Headers(request.headers)
  for (const name of [...headers.keys()]) {
    if (SPOOFABLE_HEADERS.includes(name) || name.startsWith(SPOOFABLE_PREFIX)) headers.delete(name)
  }

  const cookieName = sessionCookieName(secureCookies)
  const cookie = request.cookies.get(cookieName)?.value
  const valid = cookie ? (await readSession(cookie, session.secret)) !== null : false
  if (cookie && !valid) {
    request.cookies.delete(cookieName)
    headers.set('cookie', request.cookies.toString())
  }

  const { pathname, search } = request.nextUrl
  const isPrivate = PRIVATE_ROUTES.some((route) => pathname === route || pathname.startsWith(`${route}/`))
  const response =
    isPrivate && !valid
      ? NextResponse.redirect(new URL(`/sign-in?returnTo=${encodeURIComponent(pathname + search)}`, request.url))
      : NextResponse.next({ request: { headers } })
  if (cookie && !valid) response.cookies.delete(cookieName)
  return response
}

export const config = {
  // Everything but static assets: pages, route handlers and server actions all pass through.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|robots.txt).*)'],
}
