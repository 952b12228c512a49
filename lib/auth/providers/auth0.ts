import 'server-only'
import { Auth0Client } from '@auth0/nextjs-auth0/server'
import { NextResponse } from 'next/server'
import type { Auth0AuthConfig, Config } from '@/lib/config'
import { signInRedirect, type AuthAdapter } from '../adapter'
import { viewerFromClaims } from '../viewer'

/**
 * Auth0 through @auth0/nextjs-auth0 v4. Roles and plan come from namespaced custom claims added by
 * an Auth0 Action (README), the tenant from the organization (`org_id`). The SDK drops custom
 * claims from the session unless beforeSessionSaved keeps them, so it keeps exactly these.
 */
export function auth0Adapter(config: Config, auth: Auth0AuthConfig): AuthAdapter {
  const names = { roles: `${auth.claimsNamespace}roles`, tenant: 'org_id', plan: `${auth.claimsNamespace}plan` }
  const kept = ['sub', 'email', 'name', 'nickname', 'picture', 'org_id', 'sid', names.roles, names.plan]
  const domainUrl = /^https?:\/\//.test(auth.domain) ? new URL(auth.domain) : null
  const auth0 = new Auth0Client({
    domain: auth.domain,
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    secret: auth.secret,
    appBaseUrl: config.appBaseUrl,
    // Plain http is only ever allowed for an issuer on this machine (the local IdP in tests).
    allowInsecureRequests: domainUrl?.protocol === 'http:' && domainUrl.hostname === 'localhost',
    authorizationParameters: { scope: 'openid profile email' },
    routes: { login: '/auth/login', logout: '/auth/logout', callback: '/auth/callback' },
    logoutStrategy: 'auto',
    enableTelemetry: false,
    session: { rolling: true, absoluteDuration: config.session.maxAgeSeconds, cookie: { sameSite: 'lax', secure: config.secureCookies } },
    async beforeSessionSaved(session) {
      const user = Object.fromEntries(Object.entries(session.user).filter(([claim]) => kept.includes(claim)))
      return { ...session, user: user as typeof session.user }
    },
  })

  return {
    provider: 'auth0',

    async proxy(request, _event, { privateRoute }) {
      // Mounts /auth/login, /auth/callback, GET /auth/logout and rolls the session cookie.
      const response = await auth0.middleware(request)
      if (privateRoute && !(await auth0.getSession(request))) return signInRedirect(request)
      return response
    },

    async getViewer() {
      const session = await auth0.getSession()
      return session ? viewerFromClaims(session.user, names, 'auth0') : null
    },

    signInUi: (returnTo) => ({ kind: 'redirect', href: `/auth/login?returnTo=${encodeURIComponent(returnTo)}`, label: 'Continue to sign in' }),

    routes: {
      // The SDK serves GET /auth/logout (clears its cookie, then the IdP's logout); the header posts here.
      logout: async () => NextResponse.redirect(new URL('/auth/logout', config.appBaseUrl), 303),
    },
  }
}
