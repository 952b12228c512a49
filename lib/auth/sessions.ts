import 'server-only'
import { randomBytes } from 'node:crypto'
import { getConfig } from '@/lib/config'
import { sharedStore } from '@/lib/store'
import { keyHash } from './hash'
import { readSessionCookie, readSessionRecord, sealSessionCookie, sealSessionRecord, type SessionRecord } from './session'
import type { Identity } from './viewer'

// Server-side sessions for the providers Gatehouse holds sessions for itself (local, oidc, okta). The
// record lives in the shared store, sealed with the session secret; deleting it ends the session on
// every instance, so a cookie replayed after sign-out names nothing.

const recordKey = (sid: string) => `session:${keyHash(sid)}`
const endedKey = (sid: string) => `session-ended:${keyHash(sid)}`
const refreshLockKey = (sid: string) => `session-refresh:${keyHash(sid)}`

export async function createSession(
  identity: Identity,
  tokens: { idToken: string | null; refreshToken: string | null },
): Promise<{ record: SessionRecord; cookie: string }> {
  const { session } = getConfig()
  const now = Date.now()
  const record: SessionRecord = {
    sid: randomBytes(32).toString('base64url'),
    identity,
    ...tokens,
    signedInAt: now,
    expiresAt: now + session.maxAgeSeconds * 1000,
  }
  await saveSession(record)
  return { record, cookie: await sealSessionCookie(record.sid, session.secret, session.maxAgeSeconds) }
}

/**
 * Writes the record, unless the session was ended meanwhile: a sign-out marks the session ended
 * *before* deleting its record, so checking the mark *after* writing catches every interleaving with
 * a re-validation that was already under way. Returns false when the session had ended.
 */
export async function saveSession(record: SessionRecord): Promise<boolean> {
  const ttlSeconds = (record.expiresAt - Date.now()) / 1000
  if (ttlSeconds <= 0) return false
  const store = sharedStore()
  await store.set(recordKey(record.sid), await sealSessionRecord(record, getConfig().session.secret), { ttlSeconds })
  if ((await store.get(endedKey(record.sid))) === null) return true
  await store.delete(recordKey(record.sid))
  return false
}

/** The live session with this id, or null when there is none (expired or ended). Throws if the store fails. */
export async function loadSessionById(sid: string): Promise<SessionRecord | null> {
  const record = await readSessionRecord(await sharedStore().get(recordKey(sid)), getConfig().session.secret)
  return record?.sid === sid ? record : null
}

/** The live session a cookie names, or null: missing, forged, expired, or ended (signed out). */
export async function loadSession(cookie: string | undefined): Promise<SessionRecord | null> {
  const sid = await readSessionCookie(cookie, getConfig().session.secret)
  return sid ? loadSessionById(sid) : null
}

/**
 * Ends the session on every instance. The record is deleted even when the "ended" mark cannot be
 * written: a store refusing writes (Redis at maxmemory) still deletes, and the deletion is what ends
 * the session — a re-validation racing it cannot write the record back to such a store either. Throws
 * only when the record could not be deleted.
 */
export async function endSession(sid: string): Promise<void> {
  const store = sharedStore()
  // A failed mark is already logged by the store's write health (lib/store/health.ts).
  await store.set(endedKey(sid), '1', { ttlSeconds: getConfig().session.maxAgeSeconds }).catch(() => undefined)
  await store.delete(recordKey(sid))
}

/** One re-validation per session at a time, across instances (refresh tokens may rotate). */
export async function tryLockRefresh(sid: string): Promise<(() => Promise<void>) | null> {
  const store = sharedStore()
  const locked = await store.set(refreshLockKey(sid), '1', { ttlSeconds: 30, ifAbsent: true })
  return locked ? () => store.delete(refreshLockKey(sid)) : null
}
