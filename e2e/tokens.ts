// Mints provider session tokens for the e2e tests with the TEST-ONLY keys in fixtures/test-keys.json.
import { importJWK, SignJWT, type JWTPayload } from 'jose'

type Jwk = Record<string, string>

export async function mint(key: Jwk, claims: JWTPayload, options: { expiresIn?: string | number | null; issuedAt?: number } = {}): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid!, typ: 'JWT' }).setIssuedAt(options.issuedAt)
  // `expiresIn: null`: a token without `exp`, which a signature check alone would accept forever.
  if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '10m')
  return jwt.sign(await importJWK(key, 'RS256'))
}

/** An unsigned token (`alg: none`): every adapter must refuse it. */
export function unsigned(claims: JWTPayload, kid: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  return `${encode({ alg: 'none', typ: 'JWT', kid })}.${encode({ iat: now, exp: now + 600, ...claims })}.`
}
