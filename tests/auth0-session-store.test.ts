import type { SessionData } from '@auth0/nextjs-auth0/types'
import { describe, expect, it, vi } from 'vitest'
import { MemoryStore } from '@/lib/store/memory'

const store = new MemoryStore()
vi.mock('@/lib/store', () => ({ sharedStore: () => store }))

const { auth0SessionStore } = await import('@/lib/auth/providers/auth0-session-store')

// Auth0 sessions in the shared store: ending one by Auth0's sid must end the session that failed,
// never a newer sign-in from the same browser (which shares the IdP's sid).

const SECRET = 'test-secret-that-is-at-least-32-characters-long'
const session = (refreshToken: string, sid = 'idp-sid-1'): SessionData =>
  ({
    user: { sub: 'auth0|bob' },
    tokenSet: { accessToken: `at-${refreshToken}`, refreshToken, expiresAt: Math.floor(Date.now() / 1000) + 600 },
    internal: { sid, createdAt: Math.floor(Date.now() / 1000) },
  }) as SessionData

describe('auth0 session store', () => {
  it('a refresh failing for a replaced session does not end the session that replaced it', async () => {
    const sessions = auth0SessionStore(SECRET, 3600)
    await sessions.set('id-old', session('rt-old'))
    // A new sign-in in the same browser: the SDK deletes the old record and writes a new one, same sid.
    await sessions.delete('id-old')
    await sessions.set('id-new', session('rt-new'))

    await sessions.deleteBySid('idp-sid-1', (current) => current.tokenSet.refreshToken === 'rt-old')
    expect((await sessions.get('id-new'))?.tokenSet.refreshToken).toBe('rt-new')

    // The current session's own refresh failing ends it, and it cannot be written back.
    await sessions.deleteBySid('idp-sid-1', (current) => current.tokenSet.refreshToken === 'rt-new')
    expect(await sessions.get('id-new')).toBeNull()
    expect(await sessions.update('id-new', session('rt-new'))).toBe(false)
    await sessions.set('id-new', session('rt-newer'))
    expect(await sessions.get('id-new')).toBeNull()
  })

  it('sign-out ends the session even when the store refuses writes (the "ended" mark is best effort, the delete is not)', async () => {
    const sessions = auth0SessionStore(SECRET, 3600)
    await sessions.set('id-oom', session('rt-oom', 'idp-sid-oom'))
    const set = vi.spyOn(store, 'set').mockRejectedValue(new Error('OOM command not allowed when used memory > maxmemory'))
    try {
      await sessions.delete('id-oom')
    } finally {
      set.mockRestore()
    }
    expect(await sessions.get('id-oom')).toBeNull()
  })

  it('back-channel logout (no condition) ends the session the sid names; unknown sids are a no-op', async () => {
    const sessions = auth0SessionStore(SECRET, 3600)
    await sessions.set('id-a', session('rt-a', 'sid-a'))
    await sessions.deleteByLogoutToken({ sid: 'sid-unknown' })
    expect(await sessions.get('id-a')).not.toBeNull()
    await sessions.deleteByLogoutToken({ sid: 'sid-a' })
    expect(await sessions.get('id-a')).toBeNull()
  })
})
