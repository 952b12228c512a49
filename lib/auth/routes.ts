import 'server-only'
import { NextResponse, type NextRequest } from 'next/server'
import { getConfig } from '@/lib/config'
import { beginSignIn, completeSignIn, IdentityProviderUnavailable, SignInFailed, signOutUrl } from './oidc'
import { safeReturnTo } from './return-to'
import {
  cookieOptions,
  readSession,
  readTransaction,
  sealSession,
  sealTransaction,
  sessionCookieName,
  SIGN_IN_TTL_SECONDS,
  transactionCookieName,
} from './session'

// The /auth/* route handlers of the OIDC adapter. Pages link to them; they never render.

function settings() {
  const config = getConfig()
  return { config, oidc: { ...config.auth, appBaseUrl: config.appBaseUrl } }
}

function signInPage(appBaseUrl: string, error: string, returnTo: string): NextResponse {
  const url = new URL('/sign-in', appBaseUrl)
  url.searchParams.set('error', error)
  url.searchParams.set('returnTo', returnTo)
  return NextResponse.redirect(url, 303)
}

function logFailure(event: string, error: unknown): void {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined
  console.warn(JSON.stringify({ event, error: error instanceof Error ? error.message : String(error), cause }))
}

export async function handleSignIn(request: NextRequest): Promise<NextResponse> {
  const { config, oidc } = settings()
  const returnTo = safeReturnTo(request.nextUrl.searchParams.get('returnTo'))
  try {
    const { url, transaction } = await beginSignIn(oidc, returnTo)
    const response = NextResponse.redirect(url, 303)
    response.cookies.set(
      transactionCookieName(config.secureCookies),
      await sealTransaction(transaction, config.session.secret),
      cookieOptions(config.secureCookies, SIGN_IN_TTL_SECONDS),
    )
    return response
  } catch (error) {
    logFailure('auth.sign_in.failed', error)
    return signInPage(config.appBaseUrl, error instanceof IdentityProviderUnavailable ? 'idp_unavailable' : 'failed', returnTo)
  }
}

export async function handleCallback(request: NextRequest): Promise<NextResponse> {
  const { config, oidc } = settings()
  const txCookie = transactionCookieName(config.secureCookies)
  const transaction = await readTransaction(request.cookies.get(txCookie)?.value, config.session.secret)
  if (!transaction) return signInPage(config.appBaseUrl, 'expired', '/')
  try {
    const { viewer, idToken } = await completeSignIn(oidc, request.nextUrl, transaction)
    const response = NextResponse.redirect(new URL(transaction.returnTo, config.appBaseUrl), 303)
    response.cookies.set(
      sessionCookieName(config.secureCookies),
      await sealSession(viewer, idToken, config.session),
      cookieOptions(config.secureCookies, config.session.maxAgeSeconds),
    )
    response.cookies.delete(txCookie)
    return response
  } catch (error) {
    logFailure('auth.callback.failed', error)
    const code = error instanceof IdentityProviderUnavailable ? 'idp_unavailable' : error instanceof SignInFailed && error.reason === 'access_denied' ? 'access_denied' : 'failed'
    const response = signInPage(config.appBaseUrl, code, transaction.returnTo)
    response.cookies.delete(txCookie)
    return response
  }
}

export async function handleSignOut(request: NextRequest): Promise<NextResponse> {
  const { config, oidc } = settings()
  const origin = request.headers.get('origin')
  if (origin && origin !== new URL(config.appBaseUrl).origin) {
    return NextResponse.json({ error: 'Cross-site sign-out refused' }, { status: 403 })
  }
  const cookieName = sessionCookieName(config.secureCookies)
  const session = await readSession(request.cookies.get(cookieName)?.value, config.session.secret)
  let target = new URL('/', config.appBaseUrl)
  if (session) {
    try {
      target = (await signOutUrl(oidc, session.idToken)) ?? target
    } catch (error) {
      logFailure('auth.sign_out.idp_unreachable', error) // our cookie is cleared regardless
    }
  }
  const response = NextResponse.redirect(target, 303)
  response.cookies.delete(cookieName)
  return response
}
