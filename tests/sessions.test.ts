import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { SessionRecord } from '@/lib/auth/session'
import { MemoryStore } from '@/lib/store/memory'

// Server-side sessions: a sign-out that races a re-validation must win, whatever the interleaving.

const store = new MemoryStore()
vi.mock('@/lib/store', () => ({ sharedStore: () => store }))
vi.mock('@/lib/config', () => ({ getConfig: () => ({ session: { secret: 'test-secret-that-is-at-least-32-characters-long', maxAgeSeconds: 3600 } }) }))

const { createSession, endSession, loadSession, loadSessionById, saveSession } = await import('@/lib/auth/sessions')
const identity = {
  subject: 'alice',
  email: null,
  name: null,
  roles: [],
  tenant: null,
  plan: null,
  region: null,
  provider: 'local' as const,
  claimsIssuedAt: 1,
  sessionStartedAt: 1,
}

let record: SessionRecord
let cookie: string
beforeEach(async () => {
  ;({ record, cookie } = await createSession(identity, { idToken: null, refreshToken: 'r1' }))
})

describe('server-side sessions', () => {
  it('the cookie names the record; ending it makes the cookie name nothing', async () => {
    expect(await loadSession(cookie)).toMatchObject({ sid: record.sid, refreshToken: 'r1' })
    await endSession(record.sid)
    expect(await loadSession(cookie)).toBeNull()
  })

  it('a re-validation that finishes after sign-out does not bring the session back', async () => {
    const loaded = (await loadSessionById(record.sid))!
    await endSession(record.sid) // the sign-out lands while the refresh is under way
    expect(await saveSession({ ...loaded, refreshToken: 'r2' })).toBe(false)
    expect(await loadSession(cookie)).toBeNull()
  })

  it('sign-out ends the session even when the store refuses writes (only the delete must succeed)', async () => {
    const set = vi.spyOn(store, 'set').mockRejectedValueOnce(new Error('OOM command not allowed when used memory > maxmemory'))
    try {
      await endSession(record.sid)
    } finally {
      set.mockRestore()
    }
    expect(await loadSession(cookie)).toBeNull()
  })

  it('a re-validation saved just before sign-out is deleted by it', async () => {
    expect(await saveSession({ ...record, refreshToken: 'r2' })).toBe(true)
    await endSession(record.sid)
    expect(await loadSession(cookie)).toBeNull()
  })

  it('another session’s cookie or a forged one opens nothing', async () => {
    const other = await createSession(identity, { idToken: null, refreshToken: 'x' })
    await endSession(other.record.sid)
    expect(await loadSession(other.cookie)).toBeNull()
    expect(await loadSession(cookie)).not.toBeNull()
    expect(await loadSession(cookie.slice(0, -3) + 'abc')).toBeNull()
  })
})
