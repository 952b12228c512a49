import 'server-only'
import { auth as clerkAuth, clerkClient, clerkMiddleware, verifyToken } from '@clerk/nextjs/server'
import { cookies } from 'next/headers'
import { NextResponse } from 'next/server'
import type { Config } from '@/lib/config'
import { signInRedirect, type AuthProvider } from '../provider'
import { log } from '@/lib/log'
import { isRevoked, revoke } from '../revocations'
import { tokenClaimsProblem } from '../token-checks'
import type { Identity } from '../viewer'
import { viewerFromClerkClaims } from './clerk-claims'
import type { ClerkSettings } from './registry'

/** How long a signed-out Clerk session id stays refused: Clerk's default session lifetime (7 days). */
const REVOKED_SESSION_TTL_SECONDS = 7 * 86400

/**
 * Clerk through @clerk/nextjs: clerkMiddleware verifies the __session token (offline with
 * CLERK_JWT_KEY) and auth() reads the verified result in server components. Gatehouse then requires
 * `exp`, the exact issuer (the Frontend API named by the publishable key), `azp` = this site, and a
 * session not signed out. Keys are read by the SDK from CLERK_SECRET_KEY, NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY
 * and CLERK_JWT_KEY.
 */
export function clerkProvider(config: Config, auth: ClerkSettings): AuthProvider {
  const origin = new URL(config.appBaseUrl).origin
  const middleware = (privateRoute: boolean) =>
    clerkMiddleware(
      async (getAuth, request) => {
        if (privateRoute && !(await getAuth()).userId) return signInRedirect(request)
      },
      {
        // Read at run time: Next inlines NEXT_PUBLIC_* at build time, so one build serves any key.
        // The secret key stays in CLERK_SECRET_KEY; passing it here would make Clerk demand
        // CLERK_ENCRYPTION_KEY to forward it.
        publishableKey: auth.publishableKey,
        ...(auth.jwtKey ? { jwtKey: auth.jwtKey } : {}),
        signInUrl: '/sign-in',
        authorizedParties: [origin],
      },
    )
  const publicRoutes = middleware(false)
  const privateRoutes = middleware(true)

  /** Verified session claims, checked as Gatehouse requires: exp, exact issuer, this site, not signed out. */
  async function identityOf(claims: Record<string, unknown>, sessionId: string): Promise<Identity | null> {
    const problem = tokenClaimsProblem(claims, { issuers: [auth.issuer], authorizedParties: [origin] })
    if (problem) {
      log.failure('auth.token_refused', new Error(`Clerk session token refused: ${problem}`))
      return null
    }
    try {
      if (await isRevoked('clerk-session', sessionId)) return null
    } catch (error) {
      log.failure('auth.session_store_unavailable', error)
      return null
    }
    return viewerFromClerkClaims(claims, auth.metadataClaim, auth.claims)
  }

  return {
    provider: 'clerk',

    proxy: async (request, event, { privateRoute }) => (await (privateRoute ? privateRoutes : publicRoutes)(request, event)) ?? NextResponse.next(),

    async getIdentity() {
      const { userId, sessionId, sessionClaims } = await clerkAuth()
      if (!userId || !sessionId || !sessionClaims) return null
      return identityOf(sessionClaims as Record<string, unknown>, sessionId)
    },

    bearer: {
      authorizationServer: auth.issuer,
      // A Clerk session token, verified as clerkMiddleware verifies the cookie: offline with the JWT
      // key (else Clerk's JWKS), this site as the authorized party; then the same checks as a session.
      async verify(token) {
        const claims = await verifyToken(token, {
          ...(auth.jwtKey ? { jwtKey: auth.jwtKey } : { secretKey: auth.secretKey }),
          authorizedParties: [origin],
        }).catch(() => null)
        if (!claims || typeof claims.sid !== 'string' || typeof claims.sub !== 'string') return null
        return identityOf(claims as unknown as Record<string, unknown>, claims.sid)
      },
    },

    signInUi: (returnTo) => ({ kind: 'clerk', returnTo }),

    async signOut() {
      const { sessionId } = await clerkAuth()
      if (sessionId) {
        // Every token of this session is refused from now on, on every instance…
        try {
          await revoke('clerk-session', sessionId, REVOKED_SESSION_TTL_SECONDS)
        } catch (error) {
          log.failure('auth.sign_out.store_unavailable', error)
          return { failed: true }
        }
        // …and Clerk ends it; the cookies below are cleared even if Clerk is unreachable.
        await (await clerkClient()).sessions.revokeSession(sessionId).catch((error: unknown) => log.failure('auth.sign_out.clerk_unreachable', error))
      }
      const jar = await cookies()
      for (const name of ['__session', '__client_uat']) jar.delete(name)
      return { redirectTo: '/' }
    },

    routes: {},
  }
}
