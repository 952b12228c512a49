import 'server-only'
import { Auth0Client } from '@auth0/nextjs-auth0/server'
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose'
import { unstable_rethrow } from 'next/navigation'
import { NextResponse, type NextRequest } from 'next/server'
import type { Config } from '@/lib/config'
import { sharedStore } from '@/lib/store'
import { signInRedirect, type AuthProvider } from '../provider'
import { keyHash } from '../hash'
import { log } from '@/lib/log'
import { safeReturnTo } from '../return-to'
import { viewerFromClaims } from '../viewer'
import { auth0SessionStore } from './auth0-session-store'
import type { Auth0Settings } from './registry'

/**
 * Auth0 through @auth0/nextjs-auth0 v4. Roles and plan come from namespaced custom claims added by
 * an Auth0 Action (README), the tenant from the organization (`org_id`). The SDK drops custom
 * claims from the session unless beforeSessionSaved keeps them, so it keeps exactly these.
 *
 * Sessions are stateful (auth0-session-store.ts): signing out ends them on every instance. Their
 * claims are re-validated with Auth0 (a refresh-token grant, which runs the Login Action again) at most
 * every ACCESS_RECHECK_SECONDS, in proxy.ts where the refreshed session can be saved.
 */
export function auth0Provider(config: Config, auth: Auth0Settings): AuthProvider {
  const names = auth.claims
  // The SDK drops claims it does not know; these (and the namespaced grant claims) are kept.
  const kept = ['sub', 'email', 'name', 'nickname', 'picture', 'sid', 'iat', 'auth_time', ...Object.values(names)]
  const domainUrl = /^https?:\/\//.test(auth.domain) ? new URL(auth.domain) : null
  const recheckMs = config.access.recheckSeconds * 1000
  const sessions = auth0SessionStore(config.session.secret, config.session.maxAgeSeconds)
  const auth0 = new Auth0Client({
    domain: auth.domain,
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    secret: auth.secret,
    appBaseUrl: config.appBaseUrl,
    // Plain http is only ever allowed for an issuer on this machine (the local IdP in tests).
    allowInsecureRequests: domainUrl?.protocol === 'http:' && domainUrl.hostname === 'localhost',
    // offline_access: a refresh token, so claims can be re-validated without a new sign-in.
    authorizationParameters: { scope: 'openid profile email offline_access' },
    routes: { login: '/auth/login', logout: '/auth/logout', callback: '/auth/callback' },
    logoutStrategy: 'auto',
    enableTelemetry: false,
    // Nothing in the browser needs the access token: do not mount /auth/access-token.
    enableAccessTokenEndpoint: false,
    sessionStore: sessions,
    session: { rolling: true, absoluteDuration: config.session.maxAgeSeconds, cookie: { sameSite: 'lax', secure: config.secureCookies } },
    async beforeSessionSaved(session) {
      const user = Object.fromEntries(Object.entries(session.user).filter(([claim]) => kept.includes(claim)))
      return { ...session, user: user as typeof session.user }
    },
  })

  // The tenant's issuer as Auth0 writes it (with the trailing slash) and its signing keys.
  const issuer = domainUrl ? `${domainUrl.origin}/` : `https://${auth.domain}/`
  const jwks = createRemoteJWKSet(new URL('.well-known/jwks.json', issuer))

  const claimsIssuedAt = (user: Record<string, unknown>) => (typeof user.iat === 'number' ? user.iat * 1000 : 0)

  /** The SDK's own returnTo check accepts `/..//evil.example`; only a path safeReturnTo keeps reaches it. */
  function unsafeReturnTo(request: NextRequest): NextResponse | null {
    const { pathname, searchParams } = request.nextUrl
    if (pathname !== '/auth/login' && pathname !== '/auth/logout') return null
    const given = searchParams.get('returnTo')
    if (given === null) return null
    // Logout never needs one (the IdP returns to APP_BASE_URL); login gets the safe path.
    const safe = pathname === '/auth/login' ? safeReturnTo(given) : null
    if (safe === given && searchParams.getAll('returnTo').length === 1) return null
    const url = request.nextUrl.clone()
    url.searchParams.delete('returnTo')
    if (safe) url.searchParams.set('returnTo', safe)
    return NextResponse.redirect(url, 307)
  }

  /** Re-validates the session's claims with Auth0 when they are older than the recheck interval. */
  async function recheck(request: NextRequest, response: NextResponse): Promise<void> {
    const session = await auth0.getSession(request)
    if (!session || Date.now() - claimsIssuedAt(session.user) < recheckMs) return
    const lockKey = `auth0-refresh:${keyHash(session.internal.sid || session.user.sub)}`
    const store = sharedStore()
    if (!(await store.set(lockKey, '1', { ttlSeconds: 30, ifAbsent: true }))) return
    try {
      await auth0.getAccessToken(request, response, { refresh: true })
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code
      if (code === 'invalid_grant')
        // Auth0 ended it — unless this was an older session a newer sign-in (same sid) has replaced.
        await sessions.deleteBySid(session.internal.sid, (current) => current.tokenSet.refreshToken === session.tokenSet.refreshToken)
      else log.failure('auth.recheck.failed', error)
    } finally {
      await store.delete(lockKey)
    }
  }

  return {
    provider: 'auth0',

    async proxy(request, _event, { privateRoute }) {
      const redirect = unsafeReturnTo(request)
      if (redirect) return redirect
      // Mounts /auth/login, /auth/callback, GET /auth/logout and rolls the session cookie.
      const response = await auth0.middleware(request)
      if (request.nextUrl.pathname.startsWith('/auth/')) return response
      await recheck(request, response).catch((error: unknown) => log.failure('auth.recheck.failed', error))
      if (privateRoute && !(await auth0.getSession(request))) return signInRedirect(request)
      return response
    },

    async getIdentity() {
      let session
      try {
        session = await auth0.getSession()
      } catch (error) {
        unstable_rethrow(error) // Next's own control flow (dynamic rendering), never a store failure
        log.failure('auth.session_store_unavailable', error)
        return null
      }
      if (!session) return null
      const identity = {
        ...viewerFromClaims(session.user, names, 'auth0', claimsIssuedAt(session.user)),
        // The SDK's session creation time (seconds): refreshes do not move it.
        sessionStartedAt: typeof session.internal.createdAt === 'number' ? session.internal.createdAt * 1000 : 0,
      }
      // proxy.ts re-validates; claims it could not refresh for a whole extra interval grant nothing.
      return Date.now() - identity.claimsIssuedAt > 2 * recheckMs ? { ...identity, unconfirmed: true } : identity
    },

    bearer: {
      authorizationServer: issuer,
      /**
       * An access token for the Auth0 API named by AUTH0_API_AUDIENCE (Auth0 issues those as JWTs; it
       * has no introspection): signature by the tenant's keys, exact issuer and audience, expiry; the
       * grants are the same namespaced claims an Auth0 Action adds to the ID token.
       */
      async verify(token) {
        if (!auth.apiAudience) {
          log.warn('auth.bearer_refused', { reason: 'AUTH0_API_AUDIENCE is not set' })
          return null
        }
        try {
          const { payload } = await jwtVerify(token, jwks, { issuer, audience: auth.apiAudience, algorithms: ['RS256'], requiredClaims: ['exp', 'iat', 'sub'] })
          // A machine-to-machine token (client credentials) is an application, not a reader.
          if (payload.gty === 'client-credentials' || String(payload.sub).endsWith('@clients')) return null
          const identity = viewerFromClaims(payload, names, 'auth0', claimsIssuedAt(payload))
          // As for a web session: grants in a token older than two re-check intervals are not trusted
          // (Auth0 API tokens live 24 h by default); the client must get a fresh token.
          return Date.now() - identity.claimsIssuedAt > 2 * recheckMs ? { ...identity, unconfirmed: true } : identity
        } catch (error) {
          if (error instanceof joseErrors.JOSEError && !(error instanceof joseErrors.JWKSTimeout)) return null
          throw error
        }
      },
    },

    signInUi: (returnTo) => ({ kind: 'redirect', href: `/auth/login?returnTo=${encodeURIComponent(returnTo)}`, label: 'Continue to sign in' }),

    // The SDK serves GET /auth/logout: it deletes the session record, revokes the refresh token and
    // continues to Auth0's logout.
    signOut: async () => ({ redirectTo: '/auth/logout' }),

    routes: {},
  }
}
