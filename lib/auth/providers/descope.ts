import 'server-only'
import { authMiddleware, createSdk, session } from '@descope/nextjs-sdk/server'
import { decodeJwt } from 'jose'
import { cookies } from 'next/headers'
import type { Config } from '@/lib/config'
import { returnPathOf, type AuthProvider } from '../provider'
import { log } from '@/lib/log'
import { isRevoked, revoke } from '../revocations'
import { tokenClaimsProblem } from '../token-checks'
import type { Identity } from '../viewer'
import { viewerFromDescopeToken } from './descope-claims'
import type { DescopeSettings } from './registry'

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
export function descopeProvider(config: Config, auth: DescopeSettings): AuthProvider {
  const sdkConfig = { projectId: auth.projectId, ...(auth.baseUrl ? { baseUrl: auth.baseUrl } : {}) }
  // One SDK per provider: it caches the project's public keys, so a forged token costs no key fetch.
  let sdkInstance: ReturnType<typeof createSdk> | undefined
  const sdk = () => (sdkInstance ??= createSdk(sdkConfig))

  /** A session the SDK verified, checked as Gatehouse requires: a session token, right issuer, not signed out. */
  async function identityOf(info: { jwt: string; token: Record<string, unknown> }): Promise<Identity | null> {
    // The SDK verified the signature but rewrites `iss` to the project id once it merely *ends* in
    // it: check the claims as the token carries them.
    const claims = decodeJwt(info.jwt)
    // Descope signs its refresh token (drn "DSR") with the same key: only a session token is a session.
    const problem =
      claims.drn !== undefined && claims.drn !== 'DS' ? 'the token is not a session token (drn)' : tokenClaimsProblem(claims, { issuers: auth.issuers })
    if (problem) {
      log.failure('auth.token_refused', new Error(`Descope session token refused: ${problem}`))
      return null
    }
    try {
      if (await isRevoked('descope-token', info.jwt)) return null
    } catch (error) {
      log.failure('auth.session_store_unavailable', error)
      return null
    }
    return viewerFromDescopeToken(info.token, auth.claims)
  }

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
      return info ? identityOf(info) : null
    },

    bearer: {
      authorizationServer: auth.issuers[0]!,
      // A Descope session JWT, as the web session carries it: the same SDK check, the same claim checks.
      async verify(token) {
        const info = await sdk()
          .validateJwt(token)
          .catch(() => null)
        return info ? identityOf(info) : null
      },
    },

    signInUi: (returnTo) => ({ kind: 'descope', projectId: auth.projectId, baseUrl: auth.baseUrl, flowId: auth.flowId, returnTo }),

    async signOut() {
      const jar = await cookies()
      const sessionToken = jar.get(SESSION_COOKIE)?.value
      const refreshToken = jar.get(REFRESH_COOKIE)?.value
      // The session JWT stays valid until it expires: refuse it (and the refresh JWT) here, on every instance.
      try {
        for (const token of [sessionToken, refreshToken]) if (token) await revoke('descope-token', token, secondsLeft(token))
      } catch (error) {
        log.failure('auth.sign_out.store_unavailable', error)
        return { failed: true }
      }
      if (refreshToken) {
        // Ends the session at Descope too; our cookies are cleared even if Descope is unreachable.
        await sdk()
          .logout(refreshToken)
          .catch((error: unknown) => log.failure('auth.sign_out.descope_unreachable', error))
      }
      jar.delete(SESSION_COOKIE)
      jar.delete(REFRESH_COOKIE)
      return { redirectTo: '/' }
    },

    routes: {},
  }
}
