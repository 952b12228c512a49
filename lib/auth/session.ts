// Sessions live in an encrypted cookie (JWE, dir + A256GCM): HttpOnly, SameSite=Lax, Secure on https.
// Nothing is stored server-side, so the cookie must be unreadable and untamperable by the client.
import { hkdfSync } from 'node:crypto'
import { EncryptJWT, jwtDecrypt } from 'jose'
import { z } from 'zod'
import { viewerSchema, type Viewer } from './viewer'

export type Session = { viewer: Viewer; idToken: string | null; expiresAt: number }
export type SignInTransaction = { state: string; nonce: string; codeVerifier: string; returnTo: string }

export type SessionSettings = { secret: string; maxAgeSeconds: number }

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

async function seal(payload: Record<string, unknown>, secret: string, purpose: string, ttlSeconds: number): Promise<string> {
  return new EncryptJWT(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .encrypt(keyFor(secret, purpose))
}

async function unseal(token: string | undefined, secret: string, purpose: string): Promise<Record<string, unknown> | null> {
  if (!token) return null
  try {
    const { payload } = await jwtDecrypt(token, keyFor(secret, purpose), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    return payload
  } catch {
    return null // tampered, expired, or sealed with another secret: treat as signed out
  }
}

const sessionPayload = z.object({ viewer: viewerSchema, idToken: z.string().nullable(), exp: z.number() })
const transactionPayload = z.object({
  state: z.string().min(16),
  nonce: z.string().min(16),
  codeVerifier: z.string().min(43),
  returnTo: z.string().startsWith('/'),
})

export async function sealSession(viewer: Viewer, idToken: string | null, settings: SessionSettings): Promise<string> {
  return seal({ viewer, idToken }, settings.secret, 'session', settings.maxAgeSeconds)
}

/** The session in a cookie value, or null if it is missing, expired, forged or malformed. */
export async function readSession(token: string | undefined, secret: string): Promise<Session | null> {
  const parsed = sessionPayload.safeParse(await unseal(token, secret, 'session'))
  if (!parsed.success) return null
  return { viewer: parsed.data.viewer, idToken: parsed.data.idToken, expiresAt: parsed.data.exp * 1000 }
}

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
export type PreviewAudience = { anonymous: boolean; roles: string[]; tenant: string | null; plan: string | null }

const previewPayload = z.object({
  anonymous: z.boolean(),
  roles: z.array(z.string().regex(/^[a-z][a-z0-9_:-]{0,63}$/)).max(50),
  tenant: z.string().max(64).nullable(),
  plan: z.string().max(64).nullable(),
})
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
