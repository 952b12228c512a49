import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server'
import type { ProviderName } from './providers/registry'
import type { Identity } from './viewer'

/** What the sign-in page shows; only the chosen provider's client code is loaded for it. */
export type SignInUi =
  | { kind: 'redirect'; href: string; label: string }
  | { kind: 'descope'; projectId: string; baseUrl?: string; flowId: string; returnTo: string }
  | { kind: 'clerk'; returnTo: string }

export type RouteHandler = (request: NextRequest) => Promise<Response>

/**
 * One identity provider behind one interface (as Auth.js calls it, a provider): proxy.ts, the
 * data-access layer and the /auth/* routes call these and never know which provider is configured.
 * Each is listed, with its settings, in lib/auth/providers/registry.ts.
 */
export type AuthProvider = {
  provider: ProviderName
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
  /**
   * Ends the current session everywhere it can (server-side record, IdP revocation) and clears its
   * cookies; runs inside the sign-out Server Action. Where to send the browser next, or `failed` when
   * the session could not be ended on the server (the cookie is then kept, so the reader can retry).
   */
  signOut(): Promise<{ redirectTo: string } | { failed: true }>
  /** /auth/login and /auth/callback, where the provider needs them. */
  routes: { login?: RouteHandler; callback?: RouteHandler }
  /**
   * API clients (the MCP server, llms.txt, Markdown) send `Authorization: Bearer <token>` instead of a
   * cookie: a token this provider issues for this app, verified with the same SDK as the web session.
   */
  bearer: {
    /** Where a client gets such a token (OAuth protected-resource metadata, RFC 9728). */
    authorizationServer: string
    /**
     * The token's identity, or null when it is not a valid token for this app: malformed, forged,
     * expired, revoked, or issued to another client or audience. Throws when the IdP cannot be asked.
     */
    verify(token: string): Promise<Identity | null>
  }
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
