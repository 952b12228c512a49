// OpenID Connect adapter on openid-client: the local IdP today, Okta or any OIDC provider by config.
// Authorization code + PKCE + state + nonce; the ID token's claims become the Viewer.
import * as client from 'openid-client'
import type { OidcAuthConfig } from '@/lib/config'
import type { SignInTransaction } from '../session'
import { viewerFromClaims, type Viewer } from '../viewer'

export type OidcSettings = OidcAuthConfig & { appBaseUrl: string }

const discovered = new Map<string, Promise<client.Configuration>>()

/** Discovery once per issuer and process; a failed attempt is forgotten so the next request retries. */
function configurationFor(settings: OidcSettings): Promise<client.Configuration> {
  const key = `${settings.issuer}\0${settings.clientId}`
  let pending = discovered.get(key)
  if (!pending) {
    const issuer = new URL(settings.issuer)
    pending = client
      .discovery(issuer, settings.clientId, undefined, client.ClientSecretBasic(settings.clientSecret), {
        // Plain http is only ever allowed for an issuer on this machine (the local IdP).
        execute: issuer.protocol === 'http:' && issuer.hostname === 'localhost' ? [client.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((error: unknown) => {
        discovered.delete(key)
        throw new IdentityProviderUnavailable(settings.issuer, error)
      })
    discovered.set(key, pending)
  }
  return pending
}

export class IdentityProviderUnavailable extends Error {
  constructor(issuer: string, cause: unknown) {
    super(`The identity provider at ${issuer} could not be reached`, { cause })
    this.name = 'IdentityProviderUnavailable'
  }
}

export class SignInFailed extends Error {
  readonly reason: string
  constructor(reason: string, message: string, cause?: unknown) {
    super(message, { cause })
    this.name = 'SignInFailed'
    this.reason = reason
  }
}

const callbackUrl = (settings: OidcSettings) => `${settings.appBaseUrl}/auth/callback`

export async function beginSignIn(settings: OidcSettings, returnTo: string): Promise<{ url: URL; transaction: SignInTransaction }> {
  const configuration = await configurationFor(settings)
  const transaction: SignInTransaction = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
    returnTo,
  }
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: callbackUrl(settings),
    scope: settings.scopes,
    state: transaction.state,
    nonce: transaction.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(transaction.codeVerifier),
    code_challenge_method: 'S256',
  })
  return { url, transaction }
}

/** Exchanges the code for tokens, verifying state, nonce, PKCE and the ID token signature. */
export async function completeSignIn(
  settings: OidcSettings,
  currentUrl: URL,
  transaction: SignInTransaction,
): Promise<{ viewer: Viewer; idToken: string | null }> {
  const configuration = await configurationFor(settings)
  const error = currentUrl.searchParams.get('error')
  if (error) {
    throw new SignInFailed(error, currentUrl.searchParams.get('error_description') ?? `The identity provider answered "${error}"`)
  }
  // The callback URL as registered, whatever host header this request arrived with.
  const canonical = new URL(callbackUrl(settings))
  canonical.search = currentUrl.search
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>
  try {
    tokens = await client.authorizationCodeGrant(configuration, canonical, {
      pkceCodeVerifier: transaction.codeVerifier,
      expectedState: transaction.state,
      expectedNonce: transaction.nonce,
      idTokenExpected: true,
    })
  } catch (cause) {
    throw new SignInFailed('invalid_response', 'The sign-in response could not be verified', cause)
  }
  const claims = tokens.claims()
  if (!claims) throw new SignInFailed('invalid_response', 'The identity provider returned no ID token')
  return { viewer: viewerFromClaims(claims, settings.claims, settings.provider), idToken: tokens.id_token ?? null }
}

/** The IdP's end-session URL, or null when it has none (then only our cookie is cleared). */
export async function signOutUrl(settings: OidcSettings, idToken: string | null): Promise<URL | null> {
  const configuration = await configurationFor(settings)
  if (!configuration.serverMetadata().end_session_endpoint) return null
  return client.buildEndSessionUrl(configuration, {
    post_logout_redirect_uri: `${settings.appBaseUrl}/`,
    ...(idToken ? { id_token_hint: idToken } : { client_id: settings.clientId }),
  })
}
