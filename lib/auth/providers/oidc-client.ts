// The OpenID Connect provider's protocol side, on openid-client: the local IdP today, Okta or any OIDC provider by config.
// Authorization code + PKCE + state + nonce; the ID token's claims become the Viewer.
import * as client from 'openid-client'
import type { OidcSettings as OidcProviderSettings } from './registry'
import type { SignInTransaction } from '../session'
import { viewerFromClaims, type Identity } from '../viewer'

export type OidcSettings = OidcProviderSettings & { appBaseUrl: string }

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

/** The IdP no longer honours the session's refresh token (revoked, expired, user deactivated). */
export class SessionEndedAtIdp extends Error {
  constructor(cause: unknown) {
    super('The identity provider ended this session', { cause })
    this.name = 'SessionEndedAtIdp'
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
): Promise<{ identity: Identity; idToken: string | null; refreshToken: string | null }> {
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
  return {
    identity: viewerFromClaims(claims, settings.claims, settings.provider, Date.now()),
    idToken: tokens.id_token ?? null,
    refreshToken: tokens.refresh_token ?? null,
  }
}

/**
 * Re-validates a session's claims with the IdP: a refresh-token grant returns a new ID token carrying
 * the user's claims as they are now. The subject must not change. A refused grant means the IdP
 * ended the session (SessionEndedAtIdp); anything else is the IdP being unavailable.
 */
export async function refreshClaims(
  settings: OidcSettings,
  refreshToken: string,
  subject: string,
): Promise<{ identity: Identity; idToken: string | null; refreshToken: string }> {
  const configuration = await configurationFor(settings)
  let tokens: Awaited<ReturnType<typeof client.refreshTokenGrant>>
  try {
    tokens = await client.refreshTokenGrant(configuration, refreshToken)
  } catch (error) {
    if (error instanceof client.ResponseBodyError && (error.error === 'invalid_grant' || error.error === 'unauthorized_client'))
      throw new SessionEndedAtIdp(error)
    throw new IdentityProviderUnavailable(settings.issuer, error)
  }
  const claims = tokens.claims()
  if (!claims) throw new IdentityProviderUnavailable(settings.issuer, new Error('The refresh returned no ID token'))
  const identity = viewerFromClaims(claims, settings.claims, settings.provider, Date.now())
  if (identity.subject !== subject) throw new SessionEndedAtIdp(new Error('The refreshed ID token names another subject'))
  return { identity, idToken: tokens.id_token ?? null, refreshToken: tokens.refresh_token ?? refreshToken }
}

/**
 * An access token sent by an API client, verified with the IdP: token introspection (RFC 7662, as
 * this app's client) says whether it is active and whom it was issued to — it must be this app's — and
 * the UserInfo endpoint gives the user's claims as they are now. Null for any token the IdP does not
 * vouch for; IdentityProviderUnavailable when it cannot be asked.
 */
export async function verifyAccessToken(settings: OidcSettings, token: string): Promise<Identity | null> {
  const configuration = await configurationFor(settings)
  if (!configuration.serverMetadata().introspection_endpoint) {
    throw new IdentityProviderUnavailable(settings.issuer, new Error('the identity provider advertises no token introspection endpoint'))
  }
  const refused = (error: unknown) => error instanceof client.ResponseBodyError || error instanceof client.WWWAuthenticateChallengeError
  let info: client.IntrospectionResponse
  try {
    info = await client.tokenIntrospection(configuration, token, { token_type_hint: 'access_token' })
  } catch (error) {
    if (refused(error)) return null
    throw new IdentityProviderUnavailable(settings.issuer, error)
  }
  if (info.active !== true || typeof info.sub !== 'string' || info.sub === '') return null
  // Issued to this app (its client id), not to another client of the same IdP.
  const audiences = [info.aud ?? []].flat()
  if (info.client_id !== settings.clientId && !audiences.includes(settings.clientId)) return null
  if (typeof info.exp !== 'number' || info.exp * 1000 <= Date.now()) return null
  if (info.token_type !== undefined && !/^(bearer|access_token)$/i.test(String(info.token_type))) return null
  let claims: client.UserInfoResponse
  try {
    claims = await client.fetchUserInfo(configuration, token, info.sub)
  } catch (error) {
    if (refused(error)) return null
    throw new IdentityProviderUnavailable(settings.issuer, error)
  }
  return viewerFromClaims({ ...claims, iat: info.iat }, settings.claims, settings.provider)
}

/** Revokes a refresh token at the IdP (RFC 7009) where it offers a revocation endpoint. */
export async function revokeRefreshToken(settings: OidcSettings, refreshToken: string): Promise<boolean> {
  const configuration = await configurationFor(settings)
  if (!configuration.serverMetadata().revocation_endpoint) return false
  await client.tokenRevocation(configuration, refreshToken, { token_type_hint: 'refresh_token' })
  return true
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
