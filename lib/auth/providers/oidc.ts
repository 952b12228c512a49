import 'server-only'
import { cookies } from 'next/headers'
import { NextResponse, type NextRequest } from 'next/server'
import type { Config, OidcAuthConfig } from '@/lib/config'
import { signInRedirect, type AuthAdapter } from '../adapter'
import { logFailure } from '../log'
import { safeReturnTo } from '../return-to'
import {
  cookieOptions,
  readSession,
  readTransaction,
  sealSession,
  sealTransaction,
  sessionCookieName,
  SIGN_IN_TTL_SECONDS,
  transactionCookieName,
} from '../session'
import { beginSignIn, completeSignIn, IdentityProviderUnavailable, SignInFailed, signOutUrl, type OidcSettings } from './oidc-client'

/**
 * The OpenID Connect adapter (openid-client): the local IdP, Okta, or any OIDC provider. Gatehouse
 * runs the code flow itself and keeps the Viewer in its own encrypted session cookie.
 */
export function oidcAdapter(config: Config, auth: OidcAuthConfig): AuthAdapter {
  const oidc: OidcSettings = { ...auth, appBaseUrl: config.appBaseUrl }
  const { secret } = config.session
  const sessionCookie = sessionCookieName(config.secureCookies)
  const txCookie = transactionCookieName(config.secureCookies)

  const signInPage = (error: string, returnTo: string) => {
    const url = new URL('/sign-in', config.appBaseUrl)
    url.searchParams.set('error', error)
    url.searchParams.set('returnTo', returnTo)
    return NextResponse.redirect(url, 303)
  }

  return {
    provider: auth.provider,

    async proxy(request, _event, { privateRoute }) {
      const cookie = request.cookies.get(sessionCookie)?.value
      const valid = cookie ? (await readSession(cookie, secret)) !== null : false
      if (privateRoute && !valid) return signInRedirect(request)
      if (!cookie || valid) return NextResponse.next()
      // Drop a cookie that fails to decrypt or has expired, for this request and the browser.
      request.cookies.delete(sessionCookie)
      const headers = new Headers(request.headers)
      headers.set('cookie', request.cookies.toString())
      const response = NextResponse.next({ request: { headers } })
      response.cookies.delete(sessionCookie)
      return response
    },

    async getViewer() {
      const session = await readSession((await cookies()).get(sessionCookie)?.value, secret)
      return session?.viewer ?? null
    },

    signInUi: (returnTo) => ({
      kind: 'redirect',
      href: `/auth/login?returnTo=${encodeURIComponent(returnTo)}`,
      label: auth.provider === 'okta' ? 'Continue with Okta' : 'Continue to sign in',
    }),

    routes: {
      async login(request) {
        const returnTo = safeReturnTo(request.nextUrl.searchParams.get('returnTo'))
        try {
          const { url, transaction } = await beginSignIn(oidc, returnTo)
          const response = NextResponse.redirect(url, 303)
          response.cookies.set(txCookie, await sealTransaction(transaction, secret), cookieOptions(config.secureCookies, SIGN_IN_TTL_SECONDS))
          return response
        } catch (error) {
          logFailure('auth.sign_in.failed', error)
          return signInPage(error instanceof IdentityProviderUnavailable ? 'idp_unavailable' : 'failed', returnTo)
        }
      },

      async callback(request: NextRequest) {
        const transaction = await readTransaction(request.cookies.get(txCookie)?.value, secret)
        if (!transaction) return signInPage('expired', '/')
        try {
          const { viewer, idToken } = await completeSignIn(oidc, request.nextUrl, transaction)
          const response = NextResponse.redirect(new URL(transaction.returnTo, config.appBaseUrl), 303)
          response.cookies.set(sessionCookie, await sealSession(viewer, idToken, config.session), cookieOptions(config.secureCookies, config.session.maxAgeSeconds))
          response.cookies.delete(txCookie)
          return response
        } catch (error) {
          logFailure('auth.callback.failed', error)
          const code =
            error instanceof IdentityProviderUnavailable ? 'idp_unavailable' : error instanceof SignInFailed && error.reason === 'access_denied' ? 'access_denied' : 'failed'
          const response = signInPage(code, transaction.returnTo)
          response.cookies.delete(txCookie)
          return response
        }
      },

      async logout(request) {
        const session = await readSession(request.cookies.get(sessionCookie)?.value, secret)
        let target = new URL('/', config.appBaseUrl)
        if (session) {
          try {
            target = (await signOutUrl(oidc, session.idToken)) ?? target
          } catch (error) {
            logFailure('auth.sign_out.idp_unreachable', error) // our cookie is cleared regardless
          }
        }
        const response = NextResponse.redirect(target, 303)
        response.cookies.delete(sessionCookie)
        return response
      },
    },
  }
}
