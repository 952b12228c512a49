import 'server-only'
import { authMiddleware, createSdk, session } from '@descope/nextjs-sdk/server'
import { decodeJwt } from 'jose'
import { NextResponse } from 'next/server'
import type { Config, DescopeAuthConfig } from '@/lib/config'
import { returnPathOf, type AuthAdapter } from '../adapter'
import { logFailure } from '../log'
import { isRevoked, revoke } from '../revocations'
import { tokenClaimsProblem } from '../token-checks'
import { viewerFromDescopeToken } from './descope-claims'

const SESSION_COOKIE = 'DS'
const REFRESH_COOKIE = 'DSR'

/** Refresh tokens live for weeks; a revocation entry never needs to outlast this. */
const MAX_REVOCATION_SECONDS = 90 * 86400

/** Seconds until a token expires (read without verification: only to size its revocation entry). */
function secondsLeft(token: string): number {
  try {
    const { exp } = decodeJwt(token)
    return typeof exp === 'number' ? Math.min(exp - Date.now() / 1000, MAX_REVOCATION_SECONDS) : MAX_REVOCATION_SECONDS
  } catch {
    return MAX_REVOCATION_SECONDS
  }
}

/**
 * Descope through @descope/nextjs-sdk (≥ 0.15.56, which no longer trusts an x-descope-session
 * request header; proxy.ts strips it regardless). The flow component signs the reader in and leaves
 * the session JWT in the DS cookie; the SDK verifies it against the project's keys on every request,
 * and Gatehouse then requires `exp`, an exact issuer and a token not signed out.
 */
export function descopeAdapter(config: Config, auth: DescopeAuthConfig): AuthAdapter {
  const sdkConfig = { projectId: auth.projectId, ...(auth.baseUrl ? { baseUrl: auth.baseUrl } : {}) }

  return {
    provider: 'descope',

    async proxy(request, _event, { privateRoute }) {
      const middleware = authMiddleware({
        ...sdkConfig,
        privateRoutes: privateRoute ? [request.nextUrl.pathname] : ['/account', '/account/*'],
        redirectUrl: `/sign-in?returnTo=${encodeURIComponent(returnPathOf(request))}`,
      })
      return middleware(request)
    },

    async getIdentity() {
      const info = await session(sdkConfig)
      if (!info) return null
      // The SDK verified the signature but rewrites `iss` to the project id once it merely *ends* in
      // it: check the claims as the token carries them.
      const claims = decodeJwt(info.jwt)
      // Descope signs its refresh token (drn "DSR") with the same key: only a session token is a session.
      const problem = claims.drn !== undefined && claims.drn !== 'DS' ? 'the token is not a session token (drn)' : tokenClaimsProblem(claims, { issuers: auth.issuers })
      if (problem) {
        logFailure('auth.token_refused', new Error(`Descope session token refused: ${problem}`))
        return null
      }
      try {
        if (await isRevoked('descope-token', info.jwt)) return null
      } catch (error) {
        logFailure('auth.session_store_unavailable', error)
        return null
      }
      return viewerFromDescopeToken(info.token, auth.planClaim)
    },

    signInUi: (returnTo) => ({ kind: 'descope', projectId: auth.projectId, baseUrl: auth.baseUrl, flowId: auth.flowId, returnTo }),

    routes: {
      async logout(request) {
        const sessionToken = request.cookies.get(SESSION_COOKIE)?.value
        const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value
        // The session JWT stays valid until it expires: refuse it here, on every instance.
        for (const token of [sessionToken, refreshToken]) {
          if (token) await revoke('descope-token', token, secondsLeft(token)).catch((error: unknown) => logFailure('auth.sign_out.store_unavailable', error))
        }
        if (refreshToken) {
          // Ends the session at Descope too; our cookies are cleared even if Descope is unreachable.
          await createSdk(sdkConfig)
            .logout(refreshToken)
            .catch((error: unknown) => logFailure('auth.sign_out.descope_unreachable', error))
        }
        const response = NextResponse.redirect(new URL('/', config.appBaseUrl), 303)
        response.cookies.delete(SESSION_COOKIE)
        response.cookies.delete(REFRESH_COOKIE)
        return response
      },
    },
  }
}
