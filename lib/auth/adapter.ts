import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server'
import type { AuthProviderName } from '@/lib/config'
import type { Viewer } from './viewer'

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
  /** Verifies the current request's session with the provider SDK. Never trusts proxy.ts. */
  getViewer(): Promise<Viewer | null>
  signInUi(returnTo: string): SignInUi
  /** /auth/login, /auth/callback (where the provider needs them) and /auth/logout (POST). */
  routes: { login?: RouteHandler; callback?: RouteHandler; logout: RouteHandler }
}

export function signInRedirect(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl
  return NextResponse.redirect(new URL(`/sign-in?returnTo=${encodeURIComponent(pathname + search)}`, request.url), 307)
}
