import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server'
import type { AuthProviderName } from '@/lib/config'
import type { Identity } from './viewer'

/** What the sign-in page shows; only the chosen provider's client code is loaded for it. */
export type SignInUi =
  | { kind: 'redirect'; href: string; label: string }
  | { kind: 'descope'; projectId: string; baseUrl?: string; flowId: string; returnTo: string }
  | { kind: 'clerk'; returnTo: string }

export type RouteHandler = (request: NextRequest) => Promise<Response>

/**
 * One identity provider behind one interface (Auth.js-style): proxy.ts, the data-access layer and
 * the /auth/* routes call these and never know which provider is configured.
 */
export type AuthAdapter = {
  provider: AuthProviderName
  /**
   * proxy.ts, after identity headers were stripped: the provider SDK's own middleware. Signed-out
   * requests to `privateRoute`s are sent to sign in.
   */
  proxy(request: NextRequest, event: NextFetchEvent, options: { privateRoute: boolean }): Promise<Response>
  /**
   * Verifies the current request's session with the provider SDK, refusing ended sessions and
   * revoked tokens. Never trusts proxy.ts. The claims are not yet the reader's current access: the
   * data-access layer applies that (lib/auth/member-access.ts).
   */
  getIdentity(): Promise<Identity | null>
  signInUi(returnTo: string): SignInUi
  /** /auth/login, /auth/callback (where the provider needs them) and /auth/logout (POST). */
  routes: { login?: RouteHandler; callback?: RouteHandler; logout: RouteHandler }
}

/** The page a request is for, to come back to after signing in. */
export function returnPathOf(request: NextRequest): string {
  const { pathname, searchParams } = request.nextUrl
  const kept = new URLSearchParams(searchParams)
  kept.delete('_rsc') // Next's cache-busting parameter of RSC requests is not part of the page
  return kept.size > 0 ? `${pathname}?${kept}` : pathname
}

export function signInRedirect(request: NextRequest, reason?: 'session_ended'): NextResponse {
  const url = new URL(`/sign-in?returnTo=${encodeURIComponent(returnPathOf(request))}`, request.url)
  if (reason) url.searchParams.set('error', reason)
  return NextResponse.redirect(url, 307)
}
