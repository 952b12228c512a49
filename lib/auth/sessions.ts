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
const refreshLockKey = (sid: string) => `session-refresh:${keyHash(sid)}`

export async function createSession(identity: Identity, tokens: { idToken: string | null; refreshToken: string | null }): Promise<{ record: SessionRecord; cookie: string }> {
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

export async function saveSession(record: SessionRecord): Promise<void> {
  const ttlSeconds = (record.expiresAt - Date.now()) / 1000
  if (ttlSeconds <= 0) return
  await sharedStore().set(recordKey(record.sid), await sealSessionRecord(record, getConfig().session.secret), { ttlSeconds })
}

/** The live session a cookie names, or null: missing, forged, expired, or ended (signed out). */
export async function loadSession(cookie: string | undefined): Promise<SessionRecord | null> {
  const { secret } = getConfig().session
  const sid = await readSessionCookie(cookie, secret)
  if (!sid) return null
  const record = await readSessionRecord(await sharedStore().get(recordKey(sid)), secret)
  return record?.sid === sid ? record : null
}

export async function endSession(sid: string): Promise<void> {
  await sharedStore().delete(recordKey(sid))
}

/** One re-validation per session at a time, across instances (refresh tokens may rotate). */
export async function tryLockRefresh(sid: string): Promise<(() => Promise<void>) | null> {
  const store = sharedStore()
  const locked = await store.set(refreshLockKey(sid), '1', { ttlSeconds: 30, ifAbsent: true })
  return locked ? () => store.delete(refreshLockKey(sid)) : null
}
