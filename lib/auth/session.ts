// Sealed values (JWE, dir + A256GCM, one HKDF-derived key per purpose): the session cookie (which
// names a server-side session record), the session records themselves, sign-in transactions and the
// editor's preview audience. A value sealed for one purpose never opens as another.
import { createHash, hkdfSync } from 'node:crypto'
import { EncryptJWT, jwtDecrypt } from 'jose'
import { z } from 'zod'
import { GRANT_DIMENSIONS, type Grants } from '@/lib/access/dimensions'
import { CLOCK_SKEW_SECONDS } from './token-checks'
import { identitySchema, type Identity } from './viewer'

export type SignInTransaction = { state: string; nonce: string; codeVerifier: string; returnTo: string }

const SIGN_IN_TTL_SECONDS = 600

export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-gh_session' : 'gh_session'
}
export function transactionCookieName(secure: boolean): string {
  return secure ? '__Host-gh_signin' : 'gh_signin'
}

const keys = new Map<string, Uint8Array>()
/** One key per purpose, so a sign-in transaction cookie can never be replayed as a session. */
function keyFor(secret: string, purpose: string): Uint8Array {
  const id = `${purpose}\0${secret}`
  let key = keys.get(id)
  if (!key) {
    key = new Uint8Array(hkdfSync('sha256', secret, 'gatehouse', `gatehouse ${purpose} v1`, 32))
    keys.set(id, key)
  }
  return key
}

export async function seal(payload: Record<string, unknown>, secret: string, purpose: string, ttlSeconds: number): Promise<string> {
  return new EncryptJWT(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000 + ttlSeconds))
    .encrypt(keyFor(secret, purpose))
}

/**
 * Values this process opened recently, by a digest of (purpose, secret, token): proxy.ts and the page
 * behind it open the same session cookie and record in one request, and a reader's next request the
 * same again — decrypted once. Opening is a pure function of those three but for the clock, so a hit
 * checks expiry again. Only successes are kept (a forged value costs its sender a decrypt each time),
 * for at most UNSEALED_SECONDS (what they hold — a session record's tokens — does not outstay its
 * requests), at most UNSEALED_MAX of them, oldest first out. On globalThis: proxy.ts and pages are
 * bundled apart.
 */
const UNSEALED_MAX = 2000
const UNSEALED_SECONDS = 60
type Unsealed = { payload: Record<string, unknown>; until: number }
const unsealedHolder = globalThis as typeof globalThis & { [key: symbol]: Map<string, Unsealed> | undefined }
const UNSEALED = Symbol.for('gatehouse.unsealed')
const unsealed = (unsealedHolder[UNSEALED] ??= new Map())

/** The payload, or null when it is tampered, expired, sealed with another secret or purpose, or dated in the future. */
export async function unseal(token: string | undefined | null, secret: string, purpose: string): Promise<Record<string, unknown> | null> {
  if (!token) return null
  const id = createHash('sha256').update(`${purpose}\0${secret}\0${token}`).digest('base64url')
  const known = unsealed.get(id)
  if (known) {
    const exp = known.payload.exp as number
    if (exp * 1000 <= Date.now()) return null
    // A copy each time: callers (the Auth0 SDK among them) may change what they are given.
    if (known.until > Date.now()) return structuredClone(known.payload)
    unsealed.delete(id)
  }
  try {
    const { payload } = await jwtDecrypt(token, keyFor(secret, purpose), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) return null
    if (typeof payload.exp !== 'number') return null
    if (unsealed.size >= UNSEALED_MAX) unsealed.delete(unsealed.keys().next().value!)
    unsealed.set(id, { payload: structuredClone(payload), until: Date.now() + UNSEALED_SECONDS * 1000 })
    return payload
  } catch {
    return null
  }
}

/**
 * A session Gatehouse holds (local, oidc, okta): kept server-side in the shared store, so signing out
 * ends it everywhere. The cookie only names it. Tokens never leave the server.
 */
export type SessionRecord = {
  sid: string
  identity: Identity
  idToken: string | null
  refreshToken: string | null
  signedInAt: number
  expiresAt: number
}

const recordSchema = z.object({
  sid: z.string().min(32),
  identity: identitySchema,
  idToken: z.string().nullable(),
  refreshToken: z.string().nullable(),
  signedInAt: z.number(),
  expiresAt: z.number(),
})

export async function sealSessionCookie(sid: string, secret: string, ttlSeconds: number): Promise<string> {
  return seal({ sid }, secret, 'session', ttlSeconds)
}

/** The session id a cookie names, or null if it is missing, expired, forged or malformed. */
export async function readSessionCookie(token: string | undefined, secret: string): Promise<string | null> {
  const parsed = z.object({ sid: z.string().min(32).max(128) }).safeParse(await unseal(token, secret, 'session'))
  return parsed.success ? parsed.data.sid : null
}

export async function sealSessionRecord(record: SessionRecord, secret: string): Promise<string> {
  return seal(record, secret, 'session-record', (record.expiresAt - Date.now()) / 1000)
}

export async function readSessionRecord(value: string | null, secret: string): Promise<SessionRecord | null> {
  const parsed = recordSchema.safeParse(await unseal(value, secret, 'session-record'))
  return parsed.success && parsed.data.expiresAt > Date.now() ? parsed.data : null
}

const transactionPayload = z.object({
  state: z.string().min(16),
  nonce: z.string().min(16),
  codeVerifier: z.string().min(43),
  returnTo: z.string().startsWith('/').max(2048),
})

export async function sealTransaction(tx: SignInTransaction, secret: string): Promise<string> {
  return seal(tx, secret, 'sign-in', SIGN_IN_TTL_SECONDS)
}

export async function readTransaction(token: string | undefined, secret: string): Promise<SignInTransaction | null> {
  const parsed = transactionPayload.safeParse(await unseal(token, secret, 'sign-in'))
  return parsed.success ? parsed.data : null
}

export function cookieOptions(secure: boolean, maxAgeSeconds: number) {
  return { httpOnly: true, secure, sameSite: 'lax' as const, path: '/', maxAge: maxAgeSeconds }
}

/** Who an editor is previewing as: an audience, not a person. */
export type PreviewAudience = { anonymous: boolean } & Grants

/** One value of a previewed grant: a key, slug or id an editor picked (never free text). */
export const PREVIEW_VALUE = /^[a-z0-9][a-z0-9_:.-]{0,63}$/i

const previewPayload = z.object({
  anonymous: z.boolean(),
  ...Object.fromEntries(
    GRANT_DIMENSIONS.map((d) => [d.grant, d.kind === 'anyOf' ? z.array(z.string().regex(PREVIEW_VALUE)).max(50) : z.string().regex(PREVIEW_VALUE).nullable()]),
  ),
}) as unknown as z.ZodType<PreviewAudience>
export const PREVIEW_TTL_SECONDS = 8 * 3600

export function previewCookieName(secure: boolean): string {
  return secure ? '__Host-gh_preview' : 'gh_preview'
}

export async function sealPreview(audience: PreviewAudience, secret: string): Promise<string> {
  return seal(audience, secret, 'preview', PREVIEW_TTL_SECONDS)
}

/** The previewed audience, or null. Honoured only for a verified editor (lib/auth/dal.ts). */
export async function readPreview(token: string | undefined, secret: string): Promise<PreviewAudience | null> {
  const parsed = previewPayload.safeParse(await unseal(token, secret, 'preview'))
  return parsed.success ? parsed.data : null
}

export { SIGN_IN_TTL_SECONDS }
