import 'server-only'
import type { SessionData, SessionDataStore } from '@auth0/nextjs-auth0/types'
import { sharedStore } from '@/lib/store'
import { keyHash } from '../hash'
import { seal, unseal } from '../session'

/**
 * Auth0 sessions kept server-side (the SDK's stateful mode) in Gatehouse's shared store, sealed with
 * the session secret: signing out deletes the record, so a replayed cookie finds nothing, on every
 * instance. An index by Auth0's own session id (`sid`) serves back-channel logout and lets Gatehouse
 * end a session whose refresh the IdP refused. A deletion first marks the session ended, and every
 * write checks that mark afterwards, so a refresh racing a sign-out cannot bring the session back.
 */
export function auth0SessionStore(
  secret: string,
  maxAgeSeconds: number,
): Required<SessionDataStore> & { deleteBySid(sid: string, onlyIf?: (current: SessionData) => boolean): Promise<void> } {
  const recordKey = (id: string) => `auth0-session:${keyHash(id)}`
  const endedKey = (id: string) => `auth0-session-ended:${keyHash(id)}`
  const sidKey = (sid: string) => `auth0-sid:${keyHash(sid)}`

  const read = async (id: string): Promise<SessionData | null> => {
    const payload = await unseal(await sharedStore().get(recordKey(id)), secret, 'auth0-session')
    return payload && typeof payload.session === 'object' && payload.session !== null ? (payload.session as SessionData) : null
  }
  // The record is deleted even when the "ended" mark cannot be written (a store refusing writes still
  // deletes): the deletion is what ends the session, as in lib/auth/sessions.ts.
  const remove = async (id: string) => {
    const store = sharedStore()
    await store.set(endedKey(id), '1', { ttlSeconds: maxAgeSeconds }).catch(() => undefined)
    await store.delete(recordKey(id))
  }
  const write = async (id: string, session: SessionData): Promise<boolean> => {
    const store = sharedStore()
    await store.set(recordKey(id), await seal({ session }, secret, 'auth0-session', maxAgeSeconds), { ttlSeconds: maxAgeSeconds })
    if ((await store.get(endedKey(id))) !== null) {
      await store.delete(recordKey(id))
      return false
    }
    if (session.internal?.sid)
      await store.set(sidKey(session.internal.sid), await seal({ id }, secret, 'auth0-sid', maxAgeSeconds), { ttlSeconds: maxAgeSeconds })
    return true
  }
  /**
   * Ends the session Auth0's `sid` names now. `onlyIf` guards against ending a newer one: every sign-in
   * in one browser shares the IdP's sid, so a refresh failing for an older, replaced session must not
   * end the session that replaced it.
   */
  const deleteBySid = async (sid: string, onlyIf?: (current: SessionData) => boolean) => {
    const store = sharedStore()
    const payload = await unseal(await store.get(sidKey(sid)), secret, 'auth0-sid')
    if (typeof payload?.id !== 'string') return void (await store.delete(sidKey(sid)))
    if (onlyIf) {
      const current = await read(payload.id)
      if (current && !onlyIf(current)) return
    }
    await remove(payload.id)
    await store.delete(sidKey(sid))
  }

  return {
    get: read,
    async set(id, session) {
      await write(id, session)
    },
    async update(id, session) {
      // The SDK's guard against re-creating a session that a concurrent sign-out just deleted.
      if (!(await read(id))) return false
      return write(id, session)
    },
    delete: remove,
    async deleteByLogoutToken({ sid }) {
      if (sid) await deleteBySid(sid)
    },
    deleteBySid,
  }
}
