/**
 * Checks Gatehouse makes on a session token after the provider SDK verified its signature: the SDKs
 * accept a token without `exp` (Descope), any `iss` ending in the project id (Descope), no `iss` at
 * all (Clerk) or no `azp` (Clerk). Returns why the token is refused, or null when it passes.
 */
export type TokenExpectations = {
  /** Exact issuers accepted. */
  issuers: readonly string[]
  /** When set, `azp` must be present and one of these (Clerk: the app's origin). */
  authorizedParties?: readonly string[]
  /** When set, `aud` must contain one of these. */
  audiences?: readonly string[]
  now?: number
}

/** Clock skew tolerated between the IdP and this server. */
export const CLOCK_SKEW_SECONDS = 60

export function tokenClaimsProblem(claims: Record<string, unknown>, expected: TokenExpectations): string | null {
  const now = Math.floor((expected.now ?? Date.now()) / 1000)
  const { exp, iat, iss, azp, aud } = claims
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return 'the token has no expiry (exp)'
  if (exp <= now - CLOCK_SKEW_SECONDS) return 'the token has expired'
  if (iat !== undefined && (typeof iat !== 'number' || iat > now + CLOCK_SKEW_SECONDS)) return 'the token was issued in the future (iat)'
  if (typeof iss !== 'string' || !expected.issuers.includes(iss)) return 'the token was issued by someone else (iss)'
  if (expected.authorizedParties && (typeof azp !== 'string' || !expected.authorizedParties.includes(azp))) {
    return 'the token was issued for another site (azp)'
  }
  if (expected.audiences) {
    const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []
    if (!audiences.some((value) => typeof value === 'string' && expected.audiences!.includes(value))) return 'the token is meant for another audience (aud)'
  }
  return null
}
