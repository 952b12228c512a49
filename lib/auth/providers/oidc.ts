import 'server-only'
import { cookies } from 'next/headers'
import { NextResponse, type NextRequest } from 'next/server'
import type { Config } from '@/lib/config'
import { signInRedirect, type AuthProvider } from '../provider'
import { log } from '@/lib/log'
import { safeReturnTo } from '../return-to'
import { cookieOptions, readTransaction, sealTransaction, sessionCookieName, SIGN_IN_TTL_SECONDS, transactionCookieName, type SessionRecord } from '../session'
import { createSession, endSession, loadSession, loadSessionById, saveSession, tryLockRefresh } from '../sessions'
import {
  beginSignIn,
  completeSignIn,
  IdentityProviderUnavailable,
  refreshClaims,
  revokeRefreshToken,
  SessionEndedAtIdp,
  SignInFailed,
  signOutUrl,
  verifyAccessToken,
  type OidcSettings,
} from './oidc-client'
import type { OidcSettings as OidcProviderSettings } from './registry'

/**
 * The OpenID Connect provider (openid-client): the local IdP, Okta, or any OIDC provider. Gatehouse
 * runs the code flow itself and keeps the session server-side (lib/auth/sessions.ts): the cookie names
 * a record in the shared store, so signing out ends it everywhere, and its claims are re-validated with
 * the IdP (refresh-token grant) at most every ACCESS_RECHECK_SECONDS.
 */
export function oidcProvider(config: Config, auth: OidcProviderSettings): AuthProvider {
  const oidc: OidcSettings = { ...auth, appBaseUrl: config.appBaseUrl }
  const { secret } = config.session
  const sessionCookie = sessionCookieName(config.secureCookies)
  const txCookie = transactionCookieName(config.secureCookies)
  const recheckMs = config.access.recheckSeconds * 1000

  const signInPage = (error: string, returnTo: string) => {
    const url = new URL('/sign-in', config.appBaseUrl)
    url.searchParams.set('error', error)
    url.searchParams.set('returnTo', returnTo)
    return NextResponse.redirect(url, 303)
  }

  /**
   * Claims older than the recheck interval are re-validated with the IdP before they are used. One
   * instance refreshes while the others keep the current claims for at most one more interval; after
   * that, or while the IdP is unreachable, the claims grant nothing (the reader stays signed in).
   */
  async function current(record: SessionRecord): Promise<SessionRecord | null> {
    const age = Date.now() - record.identity.claimsIssuedAt
    if (age < recheckMs) return record
    const withinGrace = age < 2 * recheckMs
    const stale = (): SessionRecord => (withinGrace ? record : { ...record, identity: { ...record.identity, unconfirmed: true } })
    if (!record.refreshToken) {
      // Nothing to re-validate with (the IdP issued no refresh token): sign in again.
      await endSession(record.sid)
      return null
    }
    const unlock = await tryLockRefresh(record.sid)
    if (!unlock) return stale()
    try {
      // Another request may have refreshed (and rotated the refresh token) since this one loaded it.
      const latest = await loadSessionById(record.sid)
      if (!latest?.refreshToken) return null
      if (Date.now() - latest.identity.claimsIssuedAt < recheckMs) return latest
      const refreshed = await refreshClaims(oidc, latest.refreshToken, latest.identity.subject)
      const updated: SessionRecord = {
        ...latest,
        identity: refreshed.identity,
        idToken: refreshed.idToken ?? latest.idToken,
        refreshToken: refreshed.refreshToken,
      }
      if (await saveSession(updated)) return updated
      // Signed out while the refresh was under way: the new refresh token must not outlive it.
      await revokeRefreshToken(oidc, refreshed.refreshToken).catch((error: unknown) => log.failure('auth.sign_out.revocation_failed', error))
      return null
    } catch (error) {
      if (error instanceof SessionEndedAtIdp) {
        await endSession(record.sid)
        return null
      }
      log.failure('auth.recheck.failed', error)
      return stale()
    } finally {
      await unlock()
    }
  }

  return {
    provider: auth.provider,

    async proxy(request, _event, { privateRoute }) {
      const cookie = request.cookies.get(sessionCookie)?.value
      if (!cookie) return privateRoute ? signInRedirect(request) : NextResponse.next()
      let session: SessionRecord | null
      try {
        session = await loadSession(cookie)
      } catch (error) {
        // The store did not answer: keep the cookie (getViewer() fails closed for this request).
        log.failure('auth.session_store_unavailable', error)
        return NextResponse.next()
      }
      if (session) return NextResponse.next()
      // A forged, expired or ended session: drop the cookie for this request and the browser.
      if (privateRoute) {
        const response = signInRedirect(request, 'session_ended')
        response.cookies.delete(sessionCookie)
        return response
      }
      request.cookies.delete(sessionCookie)
      const headers = new Headers(request.headers)
      headers.set('cookie', request.cookies.toString())
      const response = NextResponse.next({ request: { headers } })
      response.cookies.delete(sessionCookie)
      return response
    },

    async getIdentity() {
      const cookie = (await cookies()).get(sessionCookie)?.value
      if (!cookie) return null
      let record: SessionRecord | null
      try {
        record = await loadSession(cookie)
        record = record && (await current(record))
      } catch (error) {
        log.failure('auth.session_store_unavailable', error)
        return null // fail closed: a session that cannot be checked is not a session
      }
      return record ? { ...record.identity, sessionStartedAt: record.signedInAt } : null
    },

    async signOut() {
      const jar = await cookies()
      let session: SessionRecord | null
      try {
        session = await loadSession(jar.get(sessionCookie)?.value)
        // Ended here first: from now on the cookie names nothing, on every instance.
        if (session) await endSession(session.sid)
      } catch (error) {
        // Not ended on the server: keep the cookie so signing out can be retried, and say so.
        log.failure('auth.sign_out.store_unavailable', error)
        return { failed: true }
      }
      let redirectTo = '/'
      if (session) {
        if (session.refreshToken) {
          await revokeRefreshToken(oidc, session.refreshToken).catch((error: unknown) => log.failure('auth.sign_out.revocation_failed', error))
        }
        try {
          redirectTo = (await signOutUrl(oidc, session.idToken))?.toString() ?? redirectTo
        } catch (error) {
          log.failure('auth.sign_out.idp_unreachable', error) // our session is ended regardless
        }
      }
      jar.delete(sessionCookie)
      return { redirectTo }
    },

    bearer: {
      authorizationServer: auth.issuer,
      verify: (token) => verifyAccessToken(oidc, token),
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
          log.failure('auth.sign_in.failed', error)
          return signInPage(error instanceof IdentityProviderUnavailable ? 'idp_unavailable' : 'failed', returnTo)
        }
      },

      async callback(request: NextRequest) {
        const transaction = await readTransaction(request.cookies.get(txCookie)?.value, secret)
        if (!transaction) return signInPage('expired', '/')
        try {
          const { identity, idToken, refreshToken } = await completeSignIn(oidc, request.nextUrl, transaction)
          const { cookie } = await createSession(identity, { idToken, refreshToken })
          // The stored returnTo passed safeReturnTo on the way in; check it again on the way out.
          const response = NextResponse.redirect(new URL(safeReturnTo(transaction.returnTo), config.appBaseUrl), 303)
          response.cookies.set(sessionCookie, cookie, cookieOptions(config.secureCookies, config.session.maxAgeSeconds))
          response.cookies.delete(txCookie)
          return response
        } catch (error) {
          log.failure('auth.callback.failed', error)
          const code =
            error instanceof IdentityProviderUnavailable
              ? 'idp_unavailable'
              : error instanceof SignInFailed && error.reason === 'access_denied'
                ? 'access_denied'
                : 'failed'
          const response = signInPage(code, safeReturnTo(transaction.returnTo))
          response.cookies.delete(txCookie)
          return response
        }
      },
    },
  }
}
