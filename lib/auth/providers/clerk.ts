import 'server-only'
import { auth as clerkAuth, clerkClient, clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'
import type { ClerkAuthConfig, Config } from '@/lib/config'
import { signInRedirect, type AuthAdapter } from '../adapter'
import { logFailure } from '../log'
import { viewerFromClerkClaims } from './clerk-claims'

/**
 * Clerk through @clerk/nextjs: clerkMiddleware verifies the __session token (offline with
 * CLERK_JWT_KEY) and auth() reads the verified result in server components. Keys are read by the SDK
 * from CLERK_SECRET_KEY, NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY and CLERK_JWT_KEY.
 */
export function clerkAdapter(config: Config, auth: ClerkAuthConfig): AuthAdapter {
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
        authorizedParties: [new URL(config.appBaseUrl).origin],
      },
    )
  const publicRoutes = middleware(false)
  const privateRoutes = middleware(true)

  return {
    provider: 'clerk',

    proxy: async (request, event, { privateRoute }) => (await (privateRoute ? privateRoutes : publicRoutes)(request, event)) ?? NextResponse.next(),

    async getViewer() {
      const { userId, sessionClaims } = await clerkAuth()
      return userId && sessionClaims ? viewerFromClerkClaims(sessionClaims as Record<string, unknown>, auth.metadataClaim) : null
    },

    signInUi: (returnTo) => ({ kind: 'clerk', returnTo }),

    routes: {
      async logout() {
        const { sessionId } = await clerkAuth()
        if (sessionId) {
          // Revoke at Clerk; the cookies below are cleared even if Clerk is unreachable.
          await (await clerkClient()).sessions.revokeSession(sessionId).catch((error: unknown) => logFailure('auth.sign_out.clerk_unreachable', error))
        }
        const response = NextResponse.redirect(new URL('/', config.appBaseUrl), 303)
        for (const name of ['__session', '__client_uat']) response.cookies.delete(name)
        return response
      },
    },
  }
}
