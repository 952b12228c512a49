import 'server-only'
import { authMiddleware, createSdk, session } from '@descope/nextjs-sdk/server'
import { NextResponse } from 'next/server'
import type { Config, DescopeAuthConfig } from '@/lib/config'
import type { AuthAdapter } from '../adapter'
import { logFailure } from '../log'
import { viewerFromDescopeToken } from './descope-claims'

const SESSION_COOKIE = 'DS'
const REFRESH_COOKIE = 'DSR'

/**
 * Descope through @descope/nextjs-sdk (≥ 0.15.56, which no longer trusts an x-descope-session
 * request header; proxy.ts strips it regardless). The flow component signs the reader in and leaves
 * the session JWT in the DS cookie; the SDK verifies it against the project's keys on every request.
 */
export function descopeAdapter(config: Config, auth: DescopeAuthConfig): AuthAdapter {
  const sdkConfig = { projectId: auth.projectId, ...(auth.baseUrl ? { baseUrl: auth.baseUrl } : {}) }

  return {
    provider: 'descope',

    async proxy(request, _event, { privateRoute }) {
      const { pathname, search } = request.nextUrl
      const middleware = authMiddleware({
        ...sdkConfig,
        privateRoutes: privateRoute ? [pathname] : ['/account', '/account/*'],
        redirectUrl: `/sign-in?returnTo=${encodeURIComponent(pathname + search)}`,
      })
      return middleware(request)
    },

    async getViewer() {
      const info = await session(sdkConfig)
      return info ? viewerFromDescopeToken(info.token, auth.planClaim) : null
    },

    signInUi: (returnTo) => ({ kind: 'descope', projectId: auth.projectId, baseUrl: auth.baseUrl, flowId: auth.flowId, returnTo }),

    routes: {
      async logout(request) {
        const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value
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
